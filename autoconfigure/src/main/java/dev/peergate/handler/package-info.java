/**
 * The handler model shared by every transport: {@link dev.peergate.handler.IpcInterface @IpcInterface} beans,
 * {@link dev.peergate.handler.IpcMethod @IpcMethod} methods, parameter binding with Jackson, typed
 * {@link dev.peergate.handler.IpcError errors}, streamed replies and the bounded {@link dev.peergate.handler.Dispatcher}.
 */
@NullMarked
package dev.peergate.handler;

import org.jspecify.annotations.NullMarked;
