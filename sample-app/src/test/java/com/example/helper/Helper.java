package com.example.helper;

import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.IpcMethod;
import dev.peergate.handler.IpcStream;

/** The helper as its clients call it: a typed client of {@link HelperService}. */
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
