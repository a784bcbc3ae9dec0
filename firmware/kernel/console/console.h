/*
 * console.h: the console on the UART.
 *
 * The C library's stdin, stdout and stderr are the UART, so printf, puts, putchar and getchar work as
 * usual. Output waits until the UART can take a byte; input waits until one has been received (while it
 * waits, another thread runs when the thread library is linked).
 */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stddef.h>

/* Sends one byte. */
void console_putc(char c);

/* Waits for a received byte and returns it. */
int console_getc(void);

/* Returns the received byte, or -1 when none is waiting. */
int console_try_getc(void);

/*
 * Reads one line into buffer (at most size - 1 bytes and a terminating 0), without its end: a line ends at
 * '\n' or '\r' ("\r\n" counts once). A backspace (0x08 or 0x7f) removes the byte before it. Bytes past
 * the buffer are read and dropped up to the end of the line. Returns the line's length.
 */
size_t console_readline(char *buffer, size_t size);

#endif /* CONSOLE_H */
