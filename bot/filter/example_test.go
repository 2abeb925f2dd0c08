package filter_test

import (
	"fmt"

	"github.com/briefbot/briefbot/bot/filter"
)

func Example() {
	f, err := filter.Parse(`climate “heat pump”  -football -"transfer window" flood +headline:Spain`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f) // the canonical form, to show back
	for _, d := range []filter.Doc{
		{Headline: "Spain's heat pumps sell out", Text: "Installers in Valencia..."},
		{Headline: "Floods in Spain", Text: "Football matches were called off."},
		{Headline: "Floods in Portugal", Text: "The river rose overnight."},
		{Headline: "Spain votes", Text: "Nothing on the weather.", Speakers: []string{"Pedro Sánchez"}},
	} {
		pass, why := f.Explain(filter.Prepare(d))
		fmt.Println(pass, why)
	}
	_, err = filter.Parse(`flood re:/(flood/`)
	fmt.Println(err)
	// Output:
	// climate "heat pump" -football -"transfer window" flood +headline:Spain
	// true matches "heat pump" (in the headline), +headline:Spain (in the headline)
	// false excluded by -football (in the text)
	// false missing +headline:Spain
	// false none of: climate, "heat pump", flood
	// the regular expression is not valid: missing closing ): `(flood`
}

func ExampleIndex() {
	var filters []*filter.Filter
	for _, s := range []string{`flood storm`, `-football`, `speaker:sanchez`, `re:/\bEU\b/`} {
		f, err := filter.Parse(s)
		if err != nil {
			fmt.Println(err)
			return
		}
		filters = append(filters, f)
	}
	x := filter.NewIndex(filters)
	p := filter.Prepare(filter.Doc{
		Headline: "Storms cut power across the EU",
		Text:     "Grid operators said...",
		Speakers: []string{"Pedro Sánchez"},
	})
	for _, i := range x.Match(p, nil) {
		fmt.Println(filters[i])
	}
	// Output:
	// flood storm
	// -football
	// speaker:sanchez
	// re:/\bEU\b/
}

func ExampleFromOptions() {
	f, err := filter.FromOptions(`climate "heat pump"`, `football "transfer window"`, `\bEU\b`)
	fmt.Println(f, err)
	// Output:
	// climate "heat pump" -football -"transfer window" re:/\bEU\b/ <nil>
}
