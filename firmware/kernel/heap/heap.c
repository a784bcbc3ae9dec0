/* heap.c: a first-fit allocator with coalescing, its block table outside the heap (see heap.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "heap.h"
#include "hwgen_soc.h"
#include "kernel.h"
#include "pex.h"

/* One block: [start, start + size), handed out or free. The table covers the heap without gaps, by address. */
struct block
{
    uintptr_t start;
    size_t size;
    int used;
};

static struct block blocks[HEAP_MAX_BLOCKS];
static size_t block_count;
static int initialised;

/* Every function here is named malloc, free, calloc, realloc or heap_*: the heap policy lets only the
   allocator's code colour and release memory through the PEX call port. */

static void heap_init(void)
{
    uintptr_t start = ((uintptr_t)__heap_start + HEAP_ALIGN - 1u) & ~(uintptr_t)(HEAP_ALIGN - 1u);
    uintptr_t end = (uintptr_t)__heap_end & ~(uintptr_t)(HEAP_ALIGN - 1u);
    initialised = 1;
    if (end <= start || end - start < HEAP_MIN_BLOCK)
        return;
    blocks[0] = (struct block){ start, end - start, 0 };
    block_count = 1;
}

/* The index of the block that starts at address, or -1. */
static int heap_find(uintptr_t address)
{
    for (size_t i = 0; i < block_count; i++)
    {
        if (blocks[i].start == address)
            return (int)i;
        if (blocks[i].start > address)
            break;
    }
    return -1;
}

static void heap_remove(size_t index)
{
    memmove(&blocks[index], &blocks[index + 1], (block_count - index - 1) * sizeof blocks[0]);
    block_count--;
}

/* Colours the block: the pointer the PEX returns carries the colour; without one, the plain address. */
static __attribute__((noinline)) void *heap_colour(uintptr_t start, size_t size)
{
    uint32_t coloured = pex_call(HWGEN_PEX_CALL_COLOUR, (uint32_t)start, (uint32_t)size);
    return coloured != 0 ? (void *)(uintptr_t)coloured : (void *)start;
}

static __attribute__((noinline)) void heap_release(uintptr_t start, size_t size)
{
    (void)pex_call(HWGEN_PEX_CALL_RELEASE, (uint32_t)start, (uint32_t)size);
}

void *malloc(size_t bytes)
{
    if (!initialised)
        heap_init();
    if (bytes == 0)
        bytes = 1;
    if (bytes > (size_t)HWGEN_RAM_SIZE)
        return NULL;
    size_t need = (bytes + HEAP_ALIGN - 1u) & ~(size_t)(HEAP_ALIGN - 1u);
    for (size_t i = 0; i < block_count; i++)
    {
        struct block *block = &blocks[i];
        if (block->used || block->size < need)
            continue;
        if (block->size - need >= HEAP_MIN_BLOCK && block_count < HEAP_MAX_BLOCKS)
        {
            memmove(&blocks[i + 2], &blocks[i + 1], (block_count - i - 1) * sizeof blocks[0]);
            blocks[i + 1] = (struct block){ block->start + need, block->size - need, 0 };
            block->size = need;
            block_count++;
        }
        block->used = 1;
        return heap_colour(block->start, block->size);
    }
    return NULL;
}

void *calloc(size_t count, size_t size)
{
    if (size != 0 && count > (size_t)-1 / size)
        return NULL;
    void *payload = malloc(count * size);
    if (payload != NULL)
        memset(payload, 0, count * size);
    return payload;
}

/* The block payload was handed out as, or the end of the program when it is none. */
static struct block *heap_block_of(void *payload)
{
    int index = heap_find((uintptr_t)payload);
    if (index < 0 || !blocks[index].used)
    {
        printf("\n*** heap: free(%p): not a block that malloc handed out (or freed twice)\n", payload);
        _exit(KERNEL_EXIT_HEAP);
    }
    return &blocks[index];
}

void *realloc(void *payload, size_t bytes)
{
    if (payload == NULL)
        return malloc(bytes);
    size_t room = heap_block_of(payload)->size;
    if (bytes <= room)
        return payload;
    void *moved = malloc(bytes);
    if (moved != NULL)
    {
        memcpy(moved, payload, room);
        free(payload);
    }
    return moved;
}

void free(void *payload)
{
    if (payload == NULL)
        return;
    struct block *block = heap_block_of(payload);
    block->used = 0;
    heap_release(block->start, block->size);
    size_t index = (size_t)(block - blocks);
    if (index + 1 < block_count && !blocks[index + 1].used)
    {
        block->size += blocks[index + 1].size;
        heap_remove(index + 1);
    }
    if (index > 0 && !blocks[index - 1].used)
    {
        blocks[index - 1].size += block->size;
        heap_remove(index);
    }
}

void heap_stats(struct heap_stats *stats)
{
    if (!initialised)
        heap_init();
    memset(stats, 0, sizeof *stats);
    for (size_t i = 0; i < block_count; i++)
    {
        const struct block *block = &blocks[i];
        stats->total_bytes += block->size;
        if (block->used)
        {
            stats->used_blocks++;
            continue;
        }
        stats->free_bytes += block->size;
        stats->free_blocks++;
        if (block->size > stats->largest_free)
            stats->largest_free = block->size;
    }
}
