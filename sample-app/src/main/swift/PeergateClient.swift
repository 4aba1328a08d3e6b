// A Swift client of the sample helper, written against libxpc's C API only, as any Swift or Objective-C app can
// call a Peergate XPC listener. It knows nothing of Peergate but the wire contract (docs/macos.md):
//   request   {method: String, parameters: {…}, more?: Bool, oneway?: Bool, id?: Int64}
//   reply     {parameters: {…}}  or  {error: String, parameters: {…}}
//   streamed  {parameters: {…}, continues: true, id} messages before the final reply
// NSXPCConnection and SecureXPC encode their messages otherwise and cannot call a Peergate listener.
//
// Build and run (macOS 11+; the macOS workflow does this against the sample started by launchd):
//   swiftc -O -o PeergateClient sample-app/src/main/swift/PeergateClient.swift
//   ./PeergateClient [mach-service-name]        # default com.example.helper
// Exit status: 0 when every call got the answer the contract promises, 1 otherwise.

import Foundation
import XPC

let serviceName = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "com.example.helper"

// One serial queue for the connection's events and the replies: stream items and the final reply of a call then
// arrive in the order the helper sent them.
let queue = DispatchQueue(label: "com.example.helper.swift-client")
let connection = xpc_connection_create_mach_service(serviceName, queue, 0)
var streamed: [String] = []   // touched only on `queue`

xpc_connection_set_event_handler(connection) { event in
	if xpc_get_type(event) == XPC_TYPE_DICTIONARY, xpc_dictionary_get_bool(event, "continues") {
		streamed.append(describe(xpc_dictionary_get_value(event, "parameters")))
	}
	// errors (interrupted, invalid) also reach the reply handler of the call in flight, which reports them
}
xpc_connection_resume(connection)

func describe(_ object: xpc_object_t?) -> String {
	guard let object = object else {
		return "nothing"
	}
	let text = xpc_copy_description(object)
	defer { free(text) }
	return String(cString: text)
}

var nextId: Int64 = 0

/// Sends one request and waits (at most 2 minutes: launchd starts the helper on the first message) for its reply.
func call(_ method: String, _ build: (xpc_object_t) -> Void, more: Bool = false) -> xpc_object_t? {
	let parameters = xpc_dictionary_create(nil, nil, 0)
	build(parameters)
	let message = xpc_dictionary_create(nil, nil, 0)
	xpc_dictionary_set_string(message, "method", method)
	xpc_dictionary_set_value(message, "parameters", parameters)
	if more {
		xpc_dictionary_set_bool(message, "more", true)
	}
	nextId += 1
	xpc_dictionary_set_int64(message, "id", nextId)
	let answered = DispatchSemaphore(value: 0)
	var reply: xpc_object_t?
	xpc_connection_send_message_with_reply(connection, message, queue) { answer in
		reply = answer
		answered.signal()
	}
	if answered.wait(timeout: .now() + 120) == .timedOut {
		print("\(method): no reply within 2 minutes")
		return nil
	}
	guard let answer = reply, xpc_get_type(answer) == XPC_TYPE_DICTIONARY else {
		let text = reply.flatMap { xpc_dictionary_get_string($0, XPC_ERROR_KEY_DESCRIPTION) }
		print("\(method): connection error \(text.map { String(cString: $0) } ?? "?")")
		return nil
	}
	return answer
}

/// The error name of a reply, nil for a successful one.
func errorName(_ reply: xpc_object_t) -> String? {
	return xpc_dictionary_get_string(reply, "error").map { String(cString: $0) }
}

var ok = true

// A call and its reply.
if let reply = call("com.example.helper.Status", { _ in }) {
	let parameters = xpc_dictionary_get_value(reply, "parameters")
	print("Status: \(errorName(reply) ?? "reply") \(describe(parameters))")
	ok = ok && errorName(reply) == nil && parameters.map { xpc_dictionary_get_string($0, "version") != nil } == true
} else {
	ok = false
}

// A typed error of the helper's interface, with its parameters.
if let reply = call("com.example.helper.DiskUsage", { xpc_dictionary_set_string($0, "path", "/no/such/path") }) {
	print("DiskUsage: \(errorName(reply) ?? "reply") \(describe(xpc_dictionary_get_value(reply, "parameters")))")
	ok = ok && errorName(reply) == "com.example.helper.NoSuchPath"
} else {
	ok = false
}

// A streamed reply: samples 1 and 2 as messages, sample 3 as the final reply.
if let reply = call("com.example.helper.WatchLoad", {
	xpc_dictionary_set_int64($0, "samples", 3)
	xpc_dictionary_set_int64($0, "intervalMillis", 50)
}, more: true) {
	let items = queue.sync { streamed }
	let last = xpc_dictionary_get_value(reply, "parameters")
	print("WatchLoad: \(items.count) streamed, then \(errorName(reply) ?? "reply") \(describe(last))")
	ok = ok && items.count == 2 && errorName(reply) == nil
		&& last.map { xpc_dictionary_get_int64($0, "sequence") } == 3
} else {
	ok = false
}

xpc_connection_cancel(connection)
print(ok ? "PeergateClient: every call answered as the contract says" : "PeergateClient: FAILED")
exit(ok ? 0 : 1)
