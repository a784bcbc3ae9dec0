/*
 * console.h: text output and input over the HwGen UART, and the runtime's exit codes.
 *
 * Every function polls the UART status register (HWGEN_UART_STATUS in hwgen_soc.h) before it
 * touches the data register, so it works at any UART speed.
 */
#ifndef HWGEN_CONSOLE_H
#define HWGEN_CONSOLE_H

/* Exit codes with which the default trap vector (crt0.S) ends a program: the cause is or-ed in. */
#define HWGEN_EXIT_TRAP      0x100
#define HWGEN_EXIT_INTERRUPT 0x200

#ifndef __ASSEMBLER__

#include <stddef.h>
#include <stdint.h>

/* Sends one byte; returns it as an unsigned char, like the C library's putchar. */
int putchar(int c);

/* Sends the string and a newline, like the C library's puts; returns a non-negative value. */
int puts(const char *s);

/* Sends the string without a newline. */
void print_str(const char *s);

/* Sends "0x" and eight lower-case hex digits. */
void print_hex(uint32_t value);

/* Sends the value in decimal, with a '-' when negative. */
void print_dec(int32_t value);

/* Sends the value in decimal. */
void print_udec(uint32_t value);

/* Waits for a received byte and returns it. */
int getchar(void);

/* Returns the received byte, or -1 when none is waiting. */
int console_try_getchar(void);

/* Ends the program through tohost with (code << 1) | 1 (crt0.S). */
void _exit(int code) __attribute__((noreturn));

/* Called by the default trap vector before it ends the program; prints the trap. */
void hwgen_report_trap(uint32_t mcause, uint32_t mepc, uint32_t mtval);

#endif /* __ASSEMBLER__ */

#endif /* HWGEN_CONSOLE_H */
