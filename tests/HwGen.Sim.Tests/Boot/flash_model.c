/*
 * flash_model.c: boot_spi.h on a model of a SPI NOR flash, for running the boot loader on the golden
 * model, which has no flash behind its SPI master.
 *
 * The flash's bytes from BOOT_FIRMWARE_OFFSET on are the FLASH_MODEL_BYTES bytes of RAM at
 * FLASH_MODEL_BASE (the test writes the image there); every other address reads 0xff, as erased flash.
 * The model knows two commands: 0xAB (release from power-down) and 0x03 (READ, a 24-bit address, then
 * data). Until it has been woken, the flash answers 0xff to everything, as a powered-down part does.
 * Its state lives in RAM at FLASH_MODEL_STATE, because the boot loader has no .data or .bss.
 */
#include "boot_spi.h"

struct flash_model
{
    uint32_t awake;
    uint32_t selected;
    uint32_t count;   /* bytes of the current command so far */
    uint32_t command;
    uint32_t address;
};

#define MODEL ((volatile struct flash_model *)(uintptr_t)FLASH_MODEL_STATE)

void spi_select(void)
{
    MODEL->selected = 1;
    MODEL->count = 0;
    MODEL->command = 0;
    MODEL->address = 0;
}

void spi_deselect(void)
{
    if (MODEL->selected && MODEL->command == 0xAB && MODEL->count == 1)
        MODEL->awake = 1;
    MODEL->selected = 0;
}

uint8_t spi_transfer(uint8_t out)
{
    if (!MODEL->selected)
        return 0xff;
    uint32_t count = MODEL->count++;
    if (count == 0)
    {
        MODEL->command = out;
        return 0xff;
    }
    if (!MODEL->awake || MODEL->command != 0x03)
        return 0xff;
    if (count <= 3)
    {
        MODEL->address = (MODEL->address << 8) | out;
        return 0xff;
    }
    uint32_t address = MODEL->address++ & 0xffffff;
    uint32_t offset = address - BOOT_FIRMWARE_OFFSET;
    if (address < BOOT_FIRMWARE_OFFSET || offset >= FLASH_MODEL_BYTES)
        return 0xff;
    return ((const volatile uint8_t *)(uintptr_t)FLASH_MODEL_BASE)[offset];
}
