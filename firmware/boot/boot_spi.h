/*
 * boot_spi.h: the byte-level SPI interface the boot loader reads the flash through.
 *
 * spi_flash.c implements it on the SoC's SPI master (HWGEN_SPI_DATA, HWGEN_SPI_CONTROL); tests
 * link a flash model in C in its place.
 */
#ifndef HWGEN_BOOT_SPI_H
#define HWGEN_BOOT_SPI_H

#include <stdint.h>

/* Drives the flash's chip select (starts a command). */
void spi_select(void);

/* Releases the chip select (ends a command). */
void spi_deselect(void);

/* Shifts one byte out and returns the byte shifted in at the same time. */
uint8_t spi_transfer(uint8_t out);

#endif /* HWGEN_BOOT_SPI_H */
