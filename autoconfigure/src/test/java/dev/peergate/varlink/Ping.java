package dev.peergate.varlink;

/**
 * A top-level record, so that no enclosing class can qualify its name: {@link VarlinkIdlEdgeTests} gives it the
 * name of a method.
 *
 * @param text the text
 */
record Ping(String text) {
}
