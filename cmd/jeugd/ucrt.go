package main

import _ "github.com/ivz-twente/jeugd/internal/ucrt" // links DuckDB on Windows with Debian's mingw-w64
