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
 *
 * The boot agent of a tagged SoC (a map with the APRAM window, HWGEN_APRAM_BASE: the policy coprocessor) reads
 * three images in one READ command: the policy firmware (into its own RAM), the AP's program (through the APRAM
 * window into the AP's RAM, whose base is BOOT_AP_RAM_BASE) and the AP's initial tags (one little-endian 16-bit
 * tag per word from the program's load address, written through TAGCTL after every tag of the AP's RAM is
 * cleared); then it enters the firmware, which releases the AP. It prints nothing: on a failure it stops, the AP held.
 */
#include <stdint.h>
#include "boot_spi.h"
#include "hwgen_soc.h"

#define FLASH_READ              0x03
#define FLASH_RELEASE_POWERDOWN 0xAB
#define CRC32_POLYNOMIAL        0xEDB88320u

typedef void __attribute__((noreturn)) (*boot_entry)(void);

enum { MAGIC, LENGTH, LOAD, ENTRY, PAYLOAD_CRC, HEADER_CRC, HEADER_WORDS };

static void delay(uint32_t loops)
{
    for (uint32_t i = 0; i < loops; i++)
        __asm__ volatile("");
}

#ifdef HWGEN_APRAM_BASE
/*
 * A boot agent's console is seen by no one and its ROM is kept small: a failure releases the flash and stops here,
 * the AP held (a debugger or a trace finds the pc).
 */
static void __attribute__((noreturn)) halt(void)
{
    spi_deselect();
    for (;;)
        ;
}
#define fail(format, a, b) halt()
#else
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

#endif

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

/*
 * Reads the next image header from the READ command in progress and checks it: the magic, the header's CRC and the
 * payload inside [base, base + room).
 */
static void read_header(uint32_t header[HEADER_WORDS], uint32_t base, uint32_t room)
{
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
    uint32_t length = header[LENGTH];
    uint32_t load = header[LOAD];
    if (load - base > room || length > room - (load - base))
        fail("boot: image of %d bytes at %x does not fit in RAM", length, load);
}

/* The payload's CRC against its header's. */
static void check_crc(uint32_t crc, const uint32_t header[HEADER_WORDS])
{
    crc = ~crc;
    if (crc != header[PAYLOAD_CRC])
        fail("boot: bad crc: image %x, computed %x", header[PAYLOAD_CRC], crc);
}

/* Copies the payload of header to its load address (the same in this core's map) and checks its CRC. */
static void copy_payload(const uint32_t header[HEADER_WORDS])
{
    volatile uint8_t *ram = (volatile uint8_t *)(uintptr_t)header[LOAD];
    uint32_t crc = ~0u;
    for (uint32_t i = 0; i < header[LENGTH]; i++)
    {
        uint8_t byte = spi_transfer(0);
        crc = crc32_byte(crc, byte);
        ram[i] = byte;
    }
    check_crc(crc, header);
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

    /* The payload must lie in RAM below this stack, and the entry point inside the payload. */
    uint32_t header[HEADER_WORDS];
    read_header(header, HWGEN_RAM_BASE, HWGEN_RAM_SIZE - BOOT_STACK_RESERVE);
    if (header[ENTRY] - header[LOAD] >= header[LENGTH])
        fail("boot: entry %x is outside the image at %x", header[ENTRY], header[LOAD]);
    /* The payload follows the header in the same READ command. */
    copy_payload(header);
    uint32_t entry = header[ENTRY];

#ifdef HWGEN_APRAM_BASE
    /* The AP's program: words through the window onto the AP's RAM (the AP starts at its base). */
    uint32_t program[HEADER_WORDS];
    read_header(program, BOOT_AP_RAM_BASE, HWGEN_APRAM_SIZE);
    uint32_t crc = ~0u;
    for (uint32_t i = 0; i < program[LENGTH]; i += 4)
        HWGEN_MMIO32(HWGEN_APRAM_BASE + (program[LOAD] - BOOT_AP_RAM_BASE) + i) = read_word(&crc);
    check_crc(crc, program);

    /* The AP's tags: every word's 0 first, then the image's, one 16-bit tag per word from its load address. */
    uint32_t tags[HEADER_WORDS];
    read_header(tags, BOOT_AP_RAM_BASE, HWGEN_APRAM_SIZE);
    if (tags[LENGTH] / 2 > (HWGEN_APRAM_SIZE - (tags[LOAD] - BOOT_AP_RAM_BASE)) / 4)
        fail("boot: image of %d bytes at %x does not fit in RAM", tags[LENGTH], tags[LOAD]);
    for (uint32_t address = BOOT_AP_RAM_BASE; address - BOOT_AP_RAM_BASE < HWGEN_APRAM_SIZE; address += 4)
    {
        HWGEN_MMIO32(HWGEN_TAGCTL_TAG_ADDR) = address;
        HWGEN_MMIO32(HWGEN_TAGCTL_TAG_DATA) = 0;
    }
    crc = ~0u;
    for (uint32_t i = 0; i < tags[LENGTH]; i += 2)
    {
        uint32_t tag = spi_transfer(0);
        crc = crc32_byte(crc, (uint8_t)tag);
        uint8_t high = spi_transfer(0);
        crc = crc32_byte(crc, high);
        HWGEN_MMIO32(HWGEN_TAGCTL_TAG_ADDR) = tags[LOAD] + 2 * i;
        HWGEN_MMIO32(HWGEN_TAGCTL_TAG_DATA) = tag | (uint32_t)high << 8;
    }
    check_crc(crc, tags);
    spi_deselect();
#else
    spi_deselect();
    print("boot: %d bytes at %x, crc ok\n", header[LENGTH], header[LOAD]);
#endif
    /* The program sets its own stack: this frame is not needed any more. */
    ((boot_entry)(uintptr_t)entry)();
}
