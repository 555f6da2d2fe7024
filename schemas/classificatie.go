package schemas

// Classificatie holds the code lists that map supplier codes and
// descriptions to a categorie. It lives in classificatie.yaml so that an
// analyst can add a new police code without rebuilding.
type Classificatie struct {
	Doc     string  `yaml:"doc"`
	Lijsten []Lijst `yaml:"lijsten"`
}

// Lijst is one classification list, e.g. incident or feit.
type Lijst struct {
	Naam      string  `yaml:"naam"`
	Doc       string  `yaml:"doc"`
	Otherwise string  `yaml:"otherwise"` // categorie for a value no rule matches (counted in the run report)
	Regels    []Regel `yaml:"regels"`
}

// Regel maps values to a categorie. A value matches when, after Normalize,
// it equals one of Codes, starts with one of Begint, or contains one of Bevat.
// Rules are tried in order; the first match wins.
type Regel struct {
	Categorie string   `yaml:"categorie"`
	Codes     []string `yaml:"codes,omitempty"`
	Begint    []string `yaml:"begint,omitempty"`
	Bevat     []string `yaml:"bevat,omitempty"`
}

// Lijst returns the named list, or nil.
func (c *Classificatie) Lijst(naam string) *Lijst {
	for i := range c.Lijsten {
		if c.Lijsten[i].Naam == naam {
			return &c.Lijsten[i]
		}
	}
	return nil
}
