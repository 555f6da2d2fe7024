package sdc

// Round5 rounds a count for the round5 policy: 0 stays 0, 1-7 become 5,
// otherwise to the nearest multiple of 5. Small counts never round to 0, so
// a published 0 always means no events.
func Round5(n int64) int64 {
	switch {
	case n <= 0:
		return 0
	case n <= 7:
		return 5
	}
	return (n + 2) / 5 * 5
}
