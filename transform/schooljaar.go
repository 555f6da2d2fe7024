package transform

import (
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
)

// A schooljaar runs from 1 August to 31 July of the next calendar year
// (art. 1 WPO and WVO; the Leerplichtwet 1969 counts absence per
// schooljaar). Leerplicht figures can be asked per schooljaar; it is
// labelled "2024/25".

// schooljaarMonth is the month a schooljaar starts in.
const schooljaarMonth = 8

// Schooljaar returns the label of the schooljaar holding d: "2024/25" for
// 1 August 2024 up to and including 31 July 2025.
func Schooljaar(d arrow.Date32) string {
	y, m, _ := civil(int32(d))
	if m < schooljaarMonth {
		y--
	}
	return schooljaarLabel(y)
}

func schooljaarLabel(start int) string {
	return fmt.Sprintf("%d/%02d", start, (start+1)%100)
}

// SchooljaarRange returns the days of the schooljaar labelled label: from
// 1 August (included) to the next 1 August (excluded), in UTC.
func SchooljaarRange(label string) (from, to time.Time, err error) {
	var start, next int
	if n, serr := fmt.Sscanf(label, "%4d/%2d", &start, &next); serr != nil || n != 2 || len(label) != 7 ||
		next != (start+1)%100 || start < 1900 {
		return time.Time{}, time.Time{}, fmt.Errorf("schooljaar %q is not jjjj/jj with consecutive years, such as 2024/25", label)
	}
	from = time.Date(start, schooljaarMonth, 1, 0, 0, 0, 0, time.UTC)
	return from, from.AddDate(1, 0, 0), nil
}

// SchooljaarSQL is a DuckDB expression giving the Schooljaar label of the
// DATE column col, for the aggregation side.
func SchooljaarSQL(col string) string {
	start := fmt.Sprintf("(year(%[1]s) - CASE WHEN month(%[1]s) < %d THEN 1 ELSE 0 END)", col, schooljaarMonth)
	return fmt.Sprintf("printf('%%d/%%02d', %[1]s, (%[1]s + 1) %% 100)", start)
}
