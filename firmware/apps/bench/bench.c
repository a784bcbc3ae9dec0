/*
 * bench.c: two small workloads, each measured with mcycle and minstret.
 *
 * crc:  CRC-32 (IEEE, table driven) over BENCH_WORDS pseudo-random words (xorshift32 from BENCH_SEED),
 *       BENCH_CRC_ROUNDS times, each round's CRC seeding the next buffer.
 * mix:  BENCH_MIX_ROUNDS passes over a BENCH_WORDS-word array; each element is combined with another
 *       one through a call that the compiler may not inline: loads, stores, calls and returns.
 *
 * Prints each workload's result (checked against a C# reference by the tests), its instructions, its
 * cycles and the CPI in thousandths.
 */
#include <stdint.h>
#include <stdio.h>

#ifndef BENCH_WORDS
#define BENCH_WORDS 1024
#endif
#ifndef BENCH_CRC_ROUNDS
#define BENCH_CRC_ROUNDS 4
#endif
#ifndef BENCH_MIX_ROUNDS
#define BENCH_MIX_ROUNDS 8
#endif
#define BENCH_SEED 0x2545f491u

static uint32_t buffer[BENCH_WORDS];
static uint32_t crc_table[256];

struct counters
{
    uint64_t cycles;
    uint64_t instret;
};

/* A 64-bit counter from its two halves, read again when the high half moved meanwhile. */
#define READ_COUNTER(low, high)                                          \
    ({                                                                   \
        uint32_t high_, low_, again_;                                    \
        do                                                               \
        {                                                                \
            __asm__ volatile("csrr %0, " #high : "=r"(high_));           \
            __asm__ volatile("csrr %0, " #low : "=r"(low_));             \
            __asm__ volatile("csrr %0, " #high : "=r"(again_));          \
        } while (again_ != high_);                                       \
        ((uint64_t)high_ << 32) | low_;                                  \
    })

static struct counters counters_now(void)
{
    struct counters now;
    now.cycles = READ_COUNTER(mcycle, mcycleh);
    now.instret = READ_COUNTER(minstret, minstreth);
    return now;
}

static void report(const char *name, uint32_t result, struct counters start, struct counters end)
{
    uint64_t cycles = end.cycles - start.cycles;
    uint64_t instret = end.instret - start.instret;
    uint64_t cpi = instret == 0 ? 0 : (cycles * 1000u + instret / 2) / instret;
    printf("%s: result 0x%08lx, %lu instructions, %lu cycles, CPI %lu.%03lu\n", name, (unsigned long)result,
           (unsigned long)instret, (unsigned long)cycles, (unsigned long)(cpi / 1000), (unsigned long)(cpi % 1000));
}

static void fill(uint32_t state)
{
    for (int i = 0; i < BENCH_WORDS; i++)
    {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        buffer[i] = state;
    }
}

static uint32_t crc32(const uint8_t *bytes, uint32_t length)
{
    uint32_t crc = 0xffffffffu;
    for (uint32_t i = 0; i < length; i++)
        crc = crc_table[(crc ^ bytes[i]) & 0xffu] ^ (crc >> 8);
    return ~crc;
}

static uint32_t run_crc(void)
{
    for (uint32_t i = 0; i < 256; i++)
    {
        uint32_t c = i;
        for (int bit = 0; bit < 8; bit++)
            c = (c & 1u) != 0 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
    uint32_t crc = BENCH_SEED;
    for (int round = 0; round < BENCH_CRC_ROUNDS; round++)
    {
        fill(crc == 0 ? BENCH_SEED : crc);
        crc = crc32((const uint8_t *)buffer, sizeof buffer);
    }
    return crc;
}

static __attribute__((noinline)) uint32_t combine(uint32_t a, uint32_t b, uint32_t i)
{
    return ((a << 5) ^ (b >> 3)) + i;
}

static uint32_t run_mix(void)
{
    fill(BENCH_SEED);
    for (int round = 0; round < BENCH_MIX_ROUNDS; round++)
    {
        for (uint32_t i = 0; i < BENCH_WORDS; i++)
            buffer[i] = combine(buffer[i], buffer[(i * 7u + 3u) % BENCH_WORDS], i);
    }
    uint32_t sum = 0;
    for (uint32_t i = 0; i < BENCH_WORDS; i++)
        sum = (sum ^ buffer[i]) * 0x01000193u;
    return sum;
}

int main(void)
{
    struct counters start = counters_now();
    uint32_t crc = run_crc();
    struct counters end = counters_now();
    report("crc", crc, start, end);

    start = counters_now();
    uint32_t mix = run_mix();
    end = counters_now();
    report("mix", mix, start, end);
    return 0;
}
