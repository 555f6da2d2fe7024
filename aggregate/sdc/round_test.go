package sdc

import "testing"

func TestRound5(t *testing.T) {
	tests := []struct{ in, want int64 }{
		{0, 0}, {1, 5}, {4, 5}, {5, 5}, {7, 5}, {8, 10}, {10, 10}, {12, 10},
		{13, 15}, {17, 15}, {18, 20}, {22, 20}, {23, 25}, {1002, 1000}, {1003, 1005},
	}
	for _, tt := range tests {
		if got := Round5(tt.in); got != tt.want {
			t.Errorf("Round5(%d) = %d, want %d", tt.in, got, tt.want)
		}
	}
}
