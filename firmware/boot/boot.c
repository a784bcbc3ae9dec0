/*
 * boot.c: the HwGen boot loader. It runs from the boot ROM at reset, copies the firmware image from
 * the SPI flash into RAM and jumps to it.
 *
 * The image (HwGen.Firmware.FlashImage) lies at BOOT_FIRMWARE_OFFSET in the flash: a header of six
 * little-endian words (magic "HWG1", payload length, load address, entry address, CRC-32 of the
 * payload, CRC-32 of the first five words), then the payload. The boot loader wakes the flash (0xAB),
 * reads the header with the READ command (0x03), checks it, copies the payload to the load address
 * while it computes its CRC-32, and jumps to the entry point when the CRC matches. It prints one line
 * on the UART either way; on a failure it then blinks LED 0 forever.
 *
 * Built by HwGen.Firmware.BootRom with -Os and no C library; the defines come from there:
 *   BOOT_FIRMWARE_OFFSET  where the image starts in the flash (the board's flash.firmwareOffset)
 *   BOOT_IMAGE_MAGIC      the header's first word
 *   BOOT_STACK_RESERVE    bytes at the top of RAM the payload may not reach (this stack)
 *   BOOT_WAKE_LOOPS       delay loops covering the flash's wake-up time (tRES1, 3 us) with margin
 *   BOOT_BLINK_LOOPS      delay loops between two LED toggles
 */
#include <stdint.h>
#include "boot_spi.h"
#include "hwgen_soc.h"

#define FLASH_READ              0x03
#define FLASH_RELEASE_POWERDOWN 0xAB
#define CRC32_POLYNOMIAL        0xEDB88320u

typedef void __attribute__((noreturn)) (*boot_entry)(void);

enum { MAGIC, LENGTH, LOAD, ENTRY, PAYLOAD_CRC, HEADER_CRC, HEADER_WORDS };

static void put_char(char c)
{
    while ((HWGEN_MMIO32(HWGEN_UART_STATUS) & HWGEN_UART_STATUS_TX_READY) == 0)
        ;
    HWGEN_MMIO32(HWGEN_UART_DATA) = (uint8_t)c;
}

/*
 * Prints format on the UART. Each % takes the next of a and b: %d in decimal, %x as 0x and eight hex
 * digits, %a as 0x and hex digits without leading zeros (for flash offsets). One function for every
 * message keeps the ROM small.
 */
static void print(const char *format, uint32_t a, uint32_t b)
{
    for (; *format != '\0'; format++)
    {
        if (*format != '%')
        {
            put_char(*format);
            continue;
        }
        char kind = *++format;
        uint32_t value = a;
        a = b;
        if (kind == 'd')
        {
            char digits[10];
            int n = 0;
            do
            {
                digits[n++] = (char)('0' + value % 10);
                value /= 10;
            } while (value != 0);
            while (n > 0)
                put_char(digits[--n]);
            continue;
        }
        put_char('0');
        put_char('x');
        int started = kind == 'x';
        for (int shift = 28; shift >= 0; shift -= 4)
        {
            uint32_t digit = (value >> shift) & 0xf;
            started |= digit != 0 || shift == 0;
            if (started)
                put_char("0123456789abcdef"[digit]);
        }
    }
}

static void delay(uint32_t loops)
{
    for (uint32_t i = 0; i < loops; i++)
        __asm__ volatile("");
}

/* Releases the flash, prints the failure as one line and blinks LED 0 forever. */
static void __attribute__((noreturn)) fail(const char *format, uint32_t a, uint32_t b)
{
    spi_deselect();
    print(format, a, b);
    put_char('\n');
    uint32_t leds = 0;
    for (;;)
    {
        leds ^= 1;
        HWGEN_MMIO32(HWGEN_GPIO_LEDS) = leds;
        delay(BOOT_BLINK_LOOPS);
    }
}

/* CRC-32 (IEEE, as zlib) one byte at a time, without a table: the register starts at ~0 and is inverted at the end. */
static uint32_t crc32_byte(uint32_t crc, uint8_t byte)
{
    crc ^= byte;
    for (int bit = 0; bit < 8; bit++)
        crc = (crc >> 1) ^ (CRC32_POLYNOMIAL & (0u - (crc & 1)));
    return crc;
}

static uint32_t read_word(uint32_t *crc)
{
    uint32_t word = 0;
    for (int i = 0; i < 4; i++)
    {
        uint8_t byte = spi_transfer(0);
        *crc = crc32_byte(*crc, byte);
        word |= (uint32_t)byte << (8 * i);
    }
    return word;
}

void __attribute__((noreturn)) boot_main(void)
{
    /* Wake the flash: the FPGA's configuration may have left it powered down. */
    spi_select();
    spi_transfer(FLASH_RELEASE_POWERDOWN);
    spi_deselect();
    delay(BOOT_WAKE_LOOPS);

    spi_select();
    spi_transfer(FLASH_READ);
    spi_transfer((uint8_t)(BOOT_FIRMWARE_OFFSET >> 16));
    spi_transfer((uint8_t)(BOOT_FIRMWARE_OFFSET >> 8));
    spi_transfer((uint8_t)BOOT_FIRMWARE_OFFSET);

    uint32_t header[HEADER_WORDS];
    uint32_t crc = ~0u;
    uint32_t computed_header_crc = 0;
    for (int i = 0; i < HEADER_WORDS; i++)
    {
        if (i == HEADER_CRC)
            computed_header_crc = ~crc;
        header[i] = read_word(&crc);
    }
    if (header[MAGIC] != BOOT_IMAGE_MAGIC)
        fail("boot: no image at flash %a (magic %x)", BOOT_FIRMWARE_OFFSET, header[MAGIC]);
    if (header[HEADER_CRC] != computed_header_crc)
        fail("boot: bad header crc: image %x, computed %x", header[HEADER_CRC], computed_header_crc);

    /* The payload must lie in RAM below this stack, and the entry point inside the payload. */
    uint32_t length = header[LENGTH];
    uint32_t load = header[LOAD];
    uint32_t entry = header[ENTRY];
    uint32_t room = HWGEN_RAM_SIZE - BOOT_STACK_RESERVE;
    if (load - HWGEN_RAM_BASE > room || length > room - (load - HWGEN_RAM_BASE))
        fail("boot: image of %d bytes at %x does not fit in RAM", length, load);
    if (entry - load >= length)
        fail("boot: entry %x is outside the image at %x", entry, load);

    /* The payload follows the header in the same READ command. */
    volatile uint8_t *ram = (volatile uint8_t *)(uintptr_t)load;
    crc = ~0u;
    for (uint32_t i = 0; i < length; i++)
    {
        uint8_t byte = spi_transfer(0);
        crc = crc32_byte(crc, byte);
        ram[i] = byte;
    }
    spi_deselect();
    crc = ~crc;
    if (crc != header[PAYLOAD_CRC])
        fail("boot: bad crc: image %x, computed %x", header[PAYLOAD_CRC], crc);

    print("boot: %d bytes at %x, crc ok\n", length, load);
    /* The program sets its own stack: this frame is not needed any more. */
    ((boot_entry)(uintptr_t)entry)();
}
