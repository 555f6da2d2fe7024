package geocode

import (
	"math"
	"testing"
)

func TestRDToWGS84Origin(t *testing.T) {
	lat, lon := RDToWGS84(155000, 463000)
	if lat != 52.15517440 || lon != 5.38720621 {
		t.Errorf("RDToWGS84(Amersfoort) = %.8f, %.8f; want 52.15517440, 5.38720621", lat, lon)
	}
	x, y := WGS84ToRD(52.15517440, 5.38720621)
	if x != 155000 || y != 463000 {
		t.Errorf("WGS84ToRD(Amersfoort) = %.3f, %.3f; want 155000, 463000", x, y)
	}
}

// One degree of latitude is about 111 km, one of longitude at 52° about
// 68.5 km: the formulas must reproduce that scale near Amersfoort.
func TestRDScale(t *testing.T) {
	for _, tc := range []struct {
		name           string
		dlat, dlon, km float64
	}{
		{"north", 0.01, 0, 1.1126},
		{"east", 0, 0.01, 0.6849},
	} {
		x, y := WGS84ToRD(52.15517440+tc.dlat, 5.38720621+tc.dlon)
		d := math.Hypot(x-155000, y-463000) / 1000
		if math.Abs(d-tc.km) > 0.002 {
			t.Errorf("%s 0.01°: %.4f km, want %.4f", tc.name, d, tc.km)
		}
	}
}

// The two series are independent approximations; chained they must return
// to the start within a metre everywhere in the Netherlands.
func TestRDRoundTrip(t *testing.T) {
	for x := 0.0; x <= 280000; x += 10000 {
		for y := 300000.0; y <= 620000; y += 10000 {
			lat, lon := RDToWGS84(x, y)
			x2, y2 := WGS84ToRD(lat, lon)
			if d := math.Hypot(x2-x, y2-y); d > 1 {
				t.Errorf("RD (%.0f, %.0f) -> WGS84 -> RD is %.2f m off", x, y, d)
			}
		}
	}
	for lat := 50.75; lat <= 53.5; lat += 0.25 {
		for lon := 3.5; lon <= 7.2; lon += 0.25 {
			x, y := WGS84ToRD(lat, lon)
			lat2, lon2 := RDToWGS84(x, y)
			dy := (lat2 - lat) * 111_000
			dx := (lon2 - lon) * 111_000 * math.Cos(lat*math.Pi/180)
			if d := math.Hypot(dx, dy); d > 1 {
				t.Errorf("WGS84 (%.2f, %.2f) -> RD -> WGS84 is %.2f m off", lat, lon, d)
			}
		}
	}
}
