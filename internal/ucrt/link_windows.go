//go:build windows && cgo

package ucrt

// DuckDB's Windows library (duckdb-go-bindings) is built against the UCRT C
// runtime. A mingw-w64 that targets UCRT (MSYS2 ucrt64) links it as it is.
// Debian's mingw-w64 targets msvcrt by default, so for it (_UCRT undefined):
// -lucrt supplies the UCRT functions DuckDB calls, referenced below so that
// the linker takes them before it reaches DuckDB's archives; and DuckDB's
// bundled HTTP client refers to std::basic_streambuf<char>::seekpos for the
// UCRT's fpos<_Mbstatet>, which an msvcrt libstdc++ defines for fpos<int>
// only: it is defined here as the standard library does, returning failure
// (a streambuf that cannot seek).

/*
#cgo LDFLAGS: -lucrt
#include <stdlib.h> // defines _UCRT where the toolchain targets UCRT

#ifndef _UCRT
extern void __stdio_common_vsnprintf_s(void);
extern void __stdio_common_vswprintf(void);
extern void *__imp___timezone, *__imp___tzname;
void *jeugd_ucrt[] = {(void *)__stdio_common_vsnprintf_s, (void *)__stdio_common_vswprintf, &__imp___timezone, &__imp___tzname};

// fpos<_Mbstatet>: a stream offset and the UCRT's 8-byte mbstate_t.
struct jeugd_fpos {
	long long off;
	unsigned long wchar;
	unsigned short byte, state;
};

// basic_streambuf<char>::seekpos(pos, mode), the base-class default: it
// cannot seek and returns pos_type(off_type(-1)). GCC on Windows passes the
// result pointer first and this second, as C does for a struct result.
struct jeugd_fpos _ZNSt15basic_streambufIcSt11char_traitsIcEE7seekposESt4fposI9_MbstatetESt13_Ios_Openmode(void *self, struct jeugd_fpos *pos, int mode) {
	struct jeugd_fpos failed = {-1, 0, 0, 0};
	return failed;
}
#endif
*/
import "C"
