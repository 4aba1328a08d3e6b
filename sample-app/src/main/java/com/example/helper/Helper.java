package com.example.helper;

import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.IpcMethod;
import dev.peergate.handler.IpcStream;

/**
 * The helper as its clients call it: the typed client of {@link HelperService}, used by the command line
 * ({@link HelperCli}) and the tests. One interface for both ends: the wire names come from the method names, as on
 * the service.
 */
@IpcInterface("com.example.helper")
interface Helper {

	@IpcMethod
	HelperService.Status status();

	@IpcMethod
	HelperService.Cleared clearCache();

	@IpcMethod
	HelperService.Reloaded reload();

	@IpcMethod
	HelperService.DiskUsage diskUsage(HelperService.DiskQuery query);

	@IpcMethod
	HelperService.LoadSample watchLoad(HelperService.LoadWatch watch, IpcStream<HelperService.LoadSample> samples);

}
