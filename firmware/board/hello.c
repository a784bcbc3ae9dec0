/*
 * hello.c: the first program for a board. It prints a greeting and what it runs on over the UART,
 * then blinks LED 0 about twice a second, forever.
 *
 * HWGEN_BOARD_CLOCK_HZ (the core clock) comes from the board file through HwGen.Firmware.BoardApps.
 */
#include "console.h"
#include "hwgen_soc.h"

#ifndef HWGEN_BOARD_CLOCK_HZ
#define HWGEN_BOARD_CLOCK_HZ 12000000u
#endif

static void delay(uint32_t loops)
{
    for (uint32_t i = 0; i < loops; i++)
        __asm__ volatile("");
}

int main(void)
{
    puts("Hello from HwGen!");
    print_str("RAM: ");
    print_udec(HWGEN_RAM_SIZE / 1024);
    print_str(" KiB at ");
    print_hex(HWGEN_RAM_BASE);
    putchar('\n');
    print_str("program: ");
    print_udec((uint32_t)(uintptr_t)_end - HWGEN_RAM_BASE);
    puts(" bytes");
    print_str("clock: ");
    print_udec(HWGEN_BOARD_CLOCK_HZ / 1000);
    puts(" kHz");
    puts("blinking LED 0");

    uint32_t leds = 0;
    for (;;)
    {
        leds ^= 1;
        HWGEN_MMIO32(HWGEN_GPIO_LEDS) = leds;
        /* A loop iteration takes at least two cycles: about a quarter of a second. */
        delay(HWGEN_BOARD_CLOCK_HZ / 8);
    }
}
