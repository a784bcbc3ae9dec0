/* heap.c: a first-fit allocator with coalescing (see heap.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "heap.h"
#include "hwgen_soc.h"
#include "kernel.h"
#include "pex.h"

/* A block: its size (header included, a multiple of 8) and, while free, the next free block; while
   handed out, next holds HEAP_USED. */
struct block
{
    size_t size;
    struct block *next;
};

#define HEAP_USED ((struct block *)(uintptr_t)0x5553ED01u)

_Static_assert(sizeof(struct block) == HEAP_HEADER_BYTES, "block header size");

static struct block *free_list;
static int initialised;
static size_t used_blocks;
static uint32_t last_colour;

static void heap_init(void)
{
    uintptr_t start = ((uintptr_t)__heap_start + 7u) & ~(uintptr_t)7u;
    uintptr_t end = (uintptr_t)__heap_end & ~(uintptr_t)7u;
    initialised = 1;
    if (end <= start || end - start < HEAP_MIN_BLOCK)
        return;
    free_list = (struct block *)start;
    free_list->size = end - start;
    free_list->next = NULL;
}

void *malloc(size_t bytes)
{
    if (!initialised)
        heap_init();
    if (bytes == 0)
        bytes = 1;
    if (bytes > (size_t)HWGEN_RAM_SIZE)
        return NULL;
    size_t need = (bytes + HEAP_HEADER_BYTES + 7u) & ~(size_t)7u;
    for (struct block **link = &free_list; *link != NULL; link = &(*link)->next)
    {
        struct block *block = *link;
        if (block->size < need)
            continue;
        if (block->size - need >= HEAP_MIN_BLOCK)
        {
            struct block *rest = (struct block *)((char *)block + need);
            rest->size = block->size - need;
            rest->next = block->next;
            block->size = need;
            *link = rest;
        }
        else
        {
            *link = block->next;
        }
        block->next = HEAP_USED;
        used_blocks++;
        void *payload = (char *)block + HEAP_HEADER_BYTES;
        last_colour++;
        if (last_colour == PEX_COLOUR_FREE)
            last_colour++;
        pex_colour(payload, block->size - HEAP_HEADER_BYTES, last_colour);
        return payload;
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

void *realloc(void *payload, size_t bytes)
{
    if (payload == NULL)
        return malloc(bytes);
    const struct block *block = (const struct block *)((char *)payload - HEAP_HEADER_BYTES);
    size_t room = block->size - HEAP_HEADER_BYTES;
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
    struct block *block = (struct block *)((char *)payload - HEAP_HEADER_BYTES);
    if ((uintptr_t)block < (uintptr_t)__heap_start || (uintptr_t)payload >= (uintptr_t)__heap_end || block->next != HEAP_USED)
    {
        printf("\n*** heap: free(%p): not a block that malloc handed out (or freed twice)\n", payload);
        _exit(KERNEL_EXIT_HEAP);
    }
    used_blocks--;
    pex_colour(payload, block->size - HEAP_HEADER_BYTES, PEX_COLOUR_FREE);

    struct block *before = NULL;
    struct block *after = free_list;
    while (after != NULL && after < block)
    {
        before = after;
        after = after->next;
    }
    block->next = after;
    if (after != NULL && (char *)block + block->size == (char *)after)
    {
        block->size += after->size;
        block->next = after->next;
    }
    if (before != NULL && (char *)before + before->size == (char *)block)
    {
        before->size += block->size;
        before->next = block->next;
    }
    else if (before != NULL)
    {
        before->next = block;
    }
    else
    {
        free_list = block;
    }
}

void heap_stats(struct heap_stats *stats)
{
    if (!initialised)
        heap_init();
    memset(stats, 0, sizeof *stats);
    for (const struct block *block = free_list; block != NULL; block = block->next)
    {
        stats->free_bytes += block->size;
        stats->free_blocks++;
        if (block->size > stats->largest_free)
            stats->largest_free = block->size;
    }
    stats->used_blocks = used_blocks;
    uintptr_t start = ((uintptr_t)__heap_start + 7u) & ~(uintptr_t)7u;
    uintptr_t end = (uintptr_t)__heap_end & ~(uintptr_t)7u;
    stats->total_bytes = end > start ? end - start : 0;
}

uint32_t heap_last_colour(void)
{
    return last_colour;
}
