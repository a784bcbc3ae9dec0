/* console.c: text output and input over the HwGen UART (see console.h). */
#include "console.h"
#include "hwgen_soc.h"

int putchar(int c)
{
    while ((HWGEN_MMIO32(HWGEN_UART_STATUS) & HWGEN_UART_STATUS_TX_READY) == 0)
        ;
    HWGEN_MMIO32(HWGEN_UART_DATA) = (uint8_t)c;
    return (uint8_t)c;
}

void print_str(const char *s)
{
    while (*s != '\0')
        putchar(*s++);
}

int puts(const char *s)
{
    print_str(s);
    putchar('\n');
    return 0;
}

void print_hex(uint32_t value)
{
    static const char digits[] = "0123456789abcdef";
    putchar('0');
    putchar('x');
    for (int shift = 28; shift >= 0; shift -= 4)
        putchar(digits[(value >> shift) & 0xf]);
}

void print_udec(uint32_t value)
{
    char buffer[10];
    int length = 0;
    do
    {
        buffer[length++] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0);
    while (length > 0)
        putchar(buffer[--length]);
}

void print_dec(int32_t value)
{
    if (value < 0)
    {
        putchar('-');
        print_udec(0u - (uint32_t)value);
    }
    else
    {
        print_udec((uint32_t)value);
    }
}

int console_try_getchar(void)
{
    if ((HWGEN_MMIO32(HWGEN_UART_STATUS) & HWGEN_UART_STATUS_RX_VALID) == 0)
        return -1;
    return (int)(HWGEN_MMIO32(HWGEN_UART_DATA) & 0xff);
}

int getchar(void)
{
    int c;
    while ((c = console_try_getchar()) < 0)
        ;
    return c;
}

void hwgen_report_trap(uint32_t mcause, uint32_t mepc, uint32_t mtval)
{
    print_str("\n*** unexpected ");
    print_str((mcause & 0x80000000u) != 0 ? "interrupt" : "trap");
    print_str(": mcause ");
    print_hex(mcause);
    print_str(" mepc ");
    print_hex(mepc);
    print_str(" mtval ");
    print_hex(mtval);
    putchar('\n');
}
