/* spi_flash.c: boot_spi.h on the SoC's SPI master (see HWGEN_SPI_DATA and HWGEN_SPI_CONTROL). */
#include "boot_spi.h"
#include "hwgen_soc.h"

void spi_select(void)
{
    HWGEN_MMIO32(HWGEN_SPI_CONTROL) = HWGEN_SPI_CONTROL_SELECT;
}

void spi_deselect(void)
{
    HWGEN_MMIO32(HWGEN_SPI_CONTROL) = 0;
}

uint8_t spi_transfer(uint8_t out)
{
    /* The write starts the transfer; busy stays set until the byte has been shifted in. */
    HWGEN_MMIO32(HWGEN_SPI_DATA) = out;
    while ((HWGEN_MMIO32(HWGEN_SPI_CONTROL) & HWGEN_SPI_CONTROL_BUSY) != 0)
        ;
    return (uint8_t)HWGEN_MMIO32(HWGEN_SPI_DATA);
}
