/**
 * Peergate's sample: a small helper service gated by Peergate, and its command-line client.
 */
@NullMarked
package com.example.helper;

import org.jspecify.annotations.NullMarked;
