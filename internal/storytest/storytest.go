// Package storytest holds articles for the tests of stories in chat: the
// same events told by several fictional outlets, and events that have
// nothing to do with them. They are written for these tests; their
// grouping is meant to be obvious (the same place, people and headline
// words), so that the tests of chat do not depend on how good the story
// engine is.
package storytest

import (
	"sort"

	"github.com/briefbot/briefbot/briefing"
)

// Files are seed files by name (front matter, then the body).
var Files = map[string]string{
	// The bridge: three outlets on the first day.
	"bridge_wire.txt": `---
title: Harbor Bridge in Maplewood closed after inspectors find crack
source: Northwire
url: https://northwire.example/maplewood-harbor-bridge-crack
published: 2026-11-28T08:00:00Z
---
Maplewood closed the Harbor Bridge to all traffic on Friday after inspectors found a crack in a main steel beam, the city said.

"We will not reopen the Harbor Bridge until engineers tell us it is safe," Mayor Elena Brandt said at a news conference.

About 12,000 vehicles cross the Harbor Bridge in Maplewood each day, according to the city transport office.

Transport director Omar Feld said detours would add up to twenty minutes to trips across the harbor.
`,
	"bridge_courier.txt": `---
title: Maplewood shuts Harbor Bridge after crack found by inspectors
source: Maplewood Courier
url: https://courier.example/news/harbor-bridge-shut
published: 2026-11-28T10:30:00Z
---
Maplewood shut the Harbor Bridge on Friday after inspectors found a crack in a steel beam, leaving commuters to find other ways across the harbor.

"We will not reopen the Harbor Bridge until engineers tell us it is safe," Mayor Elena Brandt said.

The bridge carries about 15,000 vehicles each day, the Courier has learned.

The contractor that maintains the Harbor Bridge, Ridgeline Works, denied that its repairs last spring had anything to do with the crack.
`,
	"bridge_flash.txt": `---
title: Harbor Bridge crack: Maplewood closes bridge, inspectors find crack
source: Daily Flash
url: https://flash.example/harbor-bridge-crack-maplewood
published: 2026-11-28T12:00:00Z
---
Maplewood closed the Harbor Bridge on Friday after inspectors found a crack, and drivers face long detours.

"We will not reopen the Harbor Bridge until engineers tell us it is safe," Mayor Elena Brandt said.

Angry commuters said the city had ignored warnings for years.
`,
	// The school week: two outlets.
	"school_wire.txt": `---
title: Lindenfield school board approves four-day school week
source: Northwire
url: https://northwire.example/lindenfield-four-day-week
published: 2026-11-28T09:00:00Z
---
The Lindenfield school board voted on Thursday to move its schools to a four-day week starting next autumn.

Board chair Priya Naidu said the change would help the district keep its teachers.

"Families need time to plan childcare, and we will help them," Naidu said.
`,
	"school_gazette.txt": `---
title: Four-day school week approved by Lindenfield school board
source: Lindenfield Gazette
url: https://gazette.example/school-board-four-day-week
published: 2026-11-28T11:00:00Z
---
The Lindenfield school board approved a four-day school week on Thursday, a change that starts next autumn.

Board chair Priya Naidu said the change would help the district keep its teachers.

Parents' group leader Tomas Rey said many families had not been asked.
`,
	// The harvest: one outlet.
	"harvest_press.txt": `---
title: Orchard cooperative reports record apple harvest
source: Valley Growers Press Office
url: https://growers.example/press/record-harvest
published: 2026-11-28T07:00:00Z
---
The Valley Orchard Cooperative said on Friday that its members picked a record apple harvest this year.

"It was the best season our growers have seen in two decades," cooperative president Hana Olsen said.
`,
}

// Later holds articles that come after Files: a fourth outlet on the
// bridge, a day later, with a new development.
var Later = map[string]string{
	"bridge_radio.txt": `---
title: Harbor Bridge in Maplewood to stay closed for a month after crack
source: Valley Radio
url: https://radio.example/maplewood-harbor-bridge-month
published: 2026-11-29T09:00:00Z
---
The Harbor Bridge in Maplewood will stay closed for at least a month while engineers repair the crack inspectors found on Friday, the city said.

"We will not reopen the Harbor Bridge until engineers tell us it is safe," Mayor Elena Brandt said again on Saturday.

Transport director Omar Feld said a temporary ferry would start on Monday.
`,
}

// Names returns the names of the files of m, sorted.
func Names(m map[string]string) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Analyze parses and analyses the file name of Files or Later.
func Analyze(name string) *briefing.Analysis {
	text, ok := Files[name]
	if !ok {
		text, ok = Later[name]
	}
	if !ok {
		panic("storytest: no article " + name)
	}
	a, err := briefing.Parse(name, []byte(text))
	if err != nil {
		panic("storytest: " + name + ": " + err.Error())
	}
	return briefing.Analyze(a, briefing.Options{})
}
