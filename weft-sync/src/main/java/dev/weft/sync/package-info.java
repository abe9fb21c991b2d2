/** Channels and synchronization primitives, safe under cancellation. */
package dev.weft.sync;
