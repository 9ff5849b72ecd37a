/* ProcessPrng for Wine 8, which lacks it: Rust's standard library asks
 * bcryptprimitives.dll for random bytes (hash map seeds). Windows 10 and later have the
 * real one; this stand-in lets the tests run the .exe under Debian's wine. It is never
 * shipped. RtlGenRandom is advapi32's SystemFunction036. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x7fffffff ? 0x7fffffff : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
