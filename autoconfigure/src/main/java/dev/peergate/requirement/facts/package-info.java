/**
 * Fact dictionaries: one operator language ({@code $and}, {@code $or}, {@code $in}, {@code $lt}, {@code $optional},
 * ...) modelled on Apple's lightweight code requirements (LWCR), with two fact sets. The LWCR fact set describes a
 * macOS peer's code signature and converts to the neutral tree the XPC layer hands to libxpc; the Linux fact set
 * describes a peer seen through {@code SO_PEERCRED}/pidfd and is evaluated by Peergate itself.
 * <p>
 * Both are built from the {@code Map<String, Object>} trees Spring binds from YAML and validated completely at
 * build time: every error is an {@link dev.peergate.requirement.InvalidRequirementException} naming the full
 * property path.
 */
@NullMarked
package dev.peergate.requirement.facts;

import org.jspecify.annotations.NullMarked;
