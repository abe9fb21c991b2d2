/**
 * For writers of I/O drivers: {@link dev.weft.io.spi.IoDriverProvider} names a driver,
 * {@link dev.weft.io.spi.IoDriver} is what the I/O types ask of it. Users choose a driver by name
 * and never call these types.
 */
package dev.weft.io.spi;
