/* The UART at every access width: sb and sh to the data register send their low byte, a byte store to data + 1
   (no register) is ignored; byte and halfword loads read the status register and take received bytes, and a
   byte load from data + 1 reads 0 and leaves the received byte where it is. Run with "AB" as UART input. */
#include <stdint.h>
#include "hwgen_soc.h"

#define DATA8(offset) (*(volatile uint8_t *)(HWGEN_UART_DATA + (offset)))
#define DATA16 (*(volatile uint16_t *)HWGEN_UART_DATA)
#define STATUS8 (*(volatile uint8_t *)HWGEN_UART_STATUS)

int main(void)
{
    DATA8(0) = 'h';
    DATA16 = 0x4000 | 'i';
    DATA8(1) = 'X';
    DATA8(0) = '\n';
    while ((STATUS8 & HWGEN_UART_STATUS_RX_VALID) == 0)
        ;
    unsigned status = STATUS8;
    unsigned none = DATA8(1);
    unsigned first = DATA8(0);
    while ((STATUS8 & HWGEN_UART_STATUS_RX_VALID) == 0)
        ;
    unsigned second = DATA16;
    unsigned after = STATUS8;
    if (status != 3 || none != 0 || first != 'A' || second != 'B' || after != 1)
        return 1;
    return 0;
}
