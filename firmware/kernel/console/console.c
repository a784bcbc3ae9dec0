/* console.c: the console on the UART (see console.h). */
#include <stdio.h>
#include <stdint.h>
#include "console.h"
#include "hwgen_soc.h"

/* The thread library's yield, when it is linked: a thread waiting for input lets the others run. */
void thread_yield(void) __attribute__((weak));

void console_putc(char c)
{
    while ((HWGEN_MMIO32(HWGEN_UART_STATUS) & HWGEN_UART_STATUS_TX_READY) == 0)
        ;
    HWGEN_MMIO32(HWGEN_UART_DATA) = (uint8_t)c;
}

int console_try_getc(void)
{
    if ((HWGEN_MMIO32(HWGEN_UART_STATUS) & HWGEN_UART_STATUS_RX_VALID) == 0)
        return -1;
    return (int)(HWGEN_MMIO32(HWGEN_UART_DATA) & 0xffu);
}

int console_getc(void)
{
    int c;
    while ((c = console_try_getc()) < 0)
    {
        if (thread_yield)
            thread_yield();
    }
    return c;
}

size_t console_readline(char *buffer, size_t size)
{
    static int after_cr;
    size_t length = 0;
    for (;;)
    {
        int c = console_getc();
        if (c == '\n' && after_cr)
        {
            after_cr = 0;
            continue;
        }
        after_cr = c == '\r';
        if (c == '\n' || c == '\r')
            break;
        if (c == 0x08 || c == 0x7f)
        {
            if (length > 0)
                length--;
            continue;
        }
        if (length + 1 < size)
            buffer[length++] = (char)c;
    }
    if (size > 0)
        buffer[length] = '\0';
    return length;
}

static int stream_put(char c, FILE *file)
{
    (void)file;
    console_putc(c);
    return (unsigned char)c;
}

static int stream_get(FILE *file)
{
    (void)file;
    return console_getc();
}

static FILE console_stream = FDEV_SETUP_STREAM(stream_put, stream_get, NULL, _FDEV_SETUP_RW);

FILE *const stdin = &console_stream;
FILE *const stdout = &console_stream;
FILE *const stderr = &console_stream;
