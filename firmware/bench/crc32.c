/*
 * crc32.c: the CRC-32 and mixing benchmark.
 *
 * Fills a buffer from a xorshift32 generator, then for CRC32_ROUNDS rounds computes the CRC-32
 * (IEEE 802.3, reflected, polynomial 0xEDB88320) of the whole buffer bit by bit, without a table,
 * and mixes the buffer with the result. About 20 million RV32I instructions: the loops use only
 * shifts, logic and additions.
 *
 * The program prints "crc32 0x........" on the console and returns 0; whether the value is right is
 * for the host to decide (HwGen.Sim.Tests computes the same in C#), since the program cannot know.
 */
#include <stddef.h>
#include <stdint.h>

#include "console.h"

#ifndef CRC32_BUFFER_WORDS
#define CRC32_BUFFER_WORDS 4096
#endif

#ifndef CRC32_ROUNDS
#define CRC32_ROUNDS 19
#endif

#define CRC32_SEED 0x2545f491u

static uint32_t buffer[CRC32_BUFFER_WORDS];

static uint32_t xorshift32(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

static uint32_t rotate_left(uint32_t value, unsigned amount)
{
    amount &= 31u;
    return amount == 0 ? value : (value << amount) | (value >> (32u - amount));
}

/* The CRC-32 of `length` bytes, continuing from `crc` (start with 0xffffffff, invert at the end). */
static uint32_t crc32_update(uint32_t crc, const uint8_t *data, size_t length)
{
    for (size_t i = 0; i < length; i++)
    {
        crc ^= data[i];
        for (int bit = 0; bit < 8; bit++)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return crc;
}

/* Stirs the buffer with the last CRC so that every round hashes different data. */
static uint32_t mix(uint32_t crc)
{
    uint32_t accumulator = crc;
    for (size_t i = 0; i < CRC32_BUFFER_WORDS; i++)
    {
        uint32_t word = buffer[i];
        word = rotate_left(word ^ accumulator, (unsigned)(i + crc));
        word += word >> 7;
        accumulator = rotate_left(accumulator, 3) ^ word;
        buffer[i] = word;
    }
    return accumulator;
}

int main(void)
{
    uint32_t state = CRC32_SEED;
    for (size_t i = 0; i < CRC32_BUFFER_WORDS; i++)
        buffer[i] = xorshift32(&state);

    uint32_t result = 0;
    for (int round = 0; round < CRC32_ROUNDS; round++)
    {
        uint32_t crc = ~crc32_update(0xffffffffu, (const uint8_t *)buffer, sizeof buffer);
        result = rotate_left(result, 5) ^ crc ^ mix(crc);
    }

    print_str("crc32 ");
    print_hex(result);
    putchar('\n');
    return 0;
}
