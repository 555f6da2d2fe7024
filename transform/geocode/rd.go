package geocode

// The RD New <-> WGS84 approximation of Schreutelkamp & Strang van Hees,
// "Benaderingsformules voor de transformatie tussen RD- en
// WGS84-kaartcoördinaten" (2001). Accurate to about a metre inside the
// Netherlands, which is plenty for finding a buurt.

// Amersfoort, the origin of both series.
const (
	rdX0    = 155000.0
	rdY0    = 463000.0
	wgsLat0 = 52.15517440
	wgsLon0 = 5.38720621
)

type term struct {
	p, q int
	c    float64
}

// Latitude and longitude in arc seconds from dX, dY in units of 100 km.
var (
	kTerms = [...]term{
		{0, 1, 3235.65389}, {2, 0, -32.58297}, {0, 2, -0.24750}, {2, 1, -0.84978},
		{0, 3, -0.06550}, {2, 2, -0.01709}, {1, 0, -0.00738}, {4, 0, 0.00530},
		{2, 3, -0.00039}, {4, 1, 0.00033}, {1, 1, -0.00012},
	}
	lTerms = [...]term{
		{1, 0, 5260.52916}, {1, 1, 105.94684}, {1, 2, 2.45656}, {3, 0, -0.81885},
		{1, 3, 0.05594}, {3, 1, -0.05607}, {0, 1, 0.01199}, {3, 2, -0.00256},
		{1, 4, 0.00128}, {0, 2, 0.00022}, {2, 0, -0.00022}, {5, 0, 0.00026},
	}
)

// X and Y in metres from dPhi, dLambda in units of 10000 arc seconds.
var (
	rTerms = [...]term{
		{0, 1, 190094.945}, {1, 1, -11832.228}, {2, 1, -114.221}, {0, 3, -32.391},
		{1, 0, -0.705}, {3, 1, -2.340}, {1, 3, -0.608}, {0, 2, -0.008}, {2, 3, 0.148},
	}
	sTerms = [...]term{
		{1, 0, 309056.544}, {0, 2, 3638.893}, {2, 0, 73.077}, {1, 2, -157.984},
		{3, 0, 59.788}, {0, 1, 0.433}, {2, 2, -6.439}, {1, 1, -0.032},
		{0, 4, 0.092}, {1, 4, -0.054},
	}
)

// poly sums c·a^p·b^q; powers up to 5 are tabulated to avoid math.Pow.
func poly(ts []term, a, b float64) float64 {
	var pa, pb [6]float64
	pa[0], pb[0] = 1, 1
	for i := 1; i < 6; i++ {
		pa[i] = pa[i-1] * a
		pb[i] = pb[i-1] * b
	}
	var s float64
	for _, t := range ts {
		s += t.c * pa[t.p] * pb[t.q]
	}
	return s
}

// RDToWGS84 converts RD New metres to WGS84 degrees.
func RDToWGS84(x, y float64) (lat, lon float64) {
	dx := (x - rdX0) * 1e-5
	dy := (y - rdY0) * 1e-5
	lat = wgsLat0 + poly(kTerms[:], dx, dy)/3600
	lon = wgsLon0 + poly(lTerms[:], dx, dy)/3600
	return lat, lon
}

// WGS84ToRD converts WGS84 degrees to RD New metres.
func WGS84ToRD(lat, lon float64) (x, y float64) {
	dphi := 0.36 * (lat - wgsLat0)
	dlam := 0.36 * (lon - wgsLon0)
	x = rdX0 + poly(rTerms[:], dphi, dlam)
	y = rdY0 + poly(sTerms[:], dphi, dlam)
	return x, y
}
