/* hello.c: the smallest console program; prints one line through the UART and succeeds. */
#include "console.h"

int main(void)
{
    puts("Hello from HwGen!");
    return 0;
}
