//go:build windows && cgo

package ucrt

// DuckDB's Windows library (duckdb-go-bindings) is built against the UCRT C
// runtime. A mingw-w64 that targets UCRT (MSYS2 ucrt64) links it as it is.
// Debian's mingw-w64 targets msvcrt by default, so for it (_UCRT undefined):
// -lucrt supplies the UCRT functions DuckDB calls, referenced below so that
// the linker takes them before it reaches DuckDB's archives; and DuckDB's
// bundled HTTP client refers to std::basic_streambuf<char>::seekpos for the
// UCRT's fpos<_Mbstatet>, which an msvcrt libstdc++ defines for fpos<int>
// only. That base-class default is reached only by seeking on an HTTP data
// sink, which jeugd never does (no HTTP, no extension downloads), so it is
// defined here to abort rather than to guess at the other library's ABI.

/*
#cgo LDFLAGS: -lucrt
#include <stdlib.h>

#ifndef _UCRT
extern void __stdio_common_vsnprintf_s(void);
extern void __stdio_common_vswprintf(void);
extern void *__imp___timezone, *__imp___tzname;
void *jeugd_ucrt[] = {(void *)__stdio_common_vsnprintf_s, (void *)__stdio_common_vswprintf, &__imp___timezone, &__imp___tzname};

void _ZNSt15basic_streambufIcSt11char_traitsIcEE7seekposESt4fposI9_MbstatetESt13_Ios_Openmode(void) { abort(); }
#endif
*/
import "C"
