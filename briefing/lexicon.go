package briefing

import "strings"

// Reporting cues. A cue is a verb that reports speech or writing; the
// lexicon says how its complement is built.
type cueClass uint8

const (
	cueClause cueClass = iota + 1 // "said (that) Y", "told X (that) Y": the complement is a claim
	cueObject                     // "denied the report", "called for talks": the whole clause is the claim
)

var cueVerbs = map[string]cueClass{}

func init() {
	for _, w := range strings.Fields(`said says told tells stated states wrote writes added adds claimed claims argued
argues insisted insists noted notes warned warns acknowledged acknowledges admitted admits confirmed confirms
estimated estimates predicted predicts believes believed testified testifies explained explains reported
reports announced announces suggested suggests recalled recalls conceded concedes maintained maintains
contended contends alleged alleges asserted asserts emphasized emphasizes emphasised stressed stresses
complained complains cautioned cautions countered counters replied replies responded agreed agrees posted
tweeted observed speculated hinted indicated indicates revealed disclosed promised promises pledged
declared declares concluded concludes answered objected remarked reiterated repeated assured informed
reminded projected forecast forecasts disputed disputes denied denies say tell state write claim argue
insist warn admit confirm estimate predict believe deny dispute`) {
		cueVerbs[w] = cueClause
	}
	for _, w := range strings.Fields(`called calls urged urges rejected rejects criticized criticised condemned
demanded demands accused accuses described describes questioned defended vowed vows`) {
		cueVerbs[w] = cueObject
	}
}

// isVerbInPhrase reports whether k is a reporting verb where a noun phrase
// is being read. Capitalized words and base forms ("state", "claim") are
// nouns there.
func isVerbInPhrase(k tok) bool {
	return !k.cap && (cueVerbs[k.low] != 0 && !baseForms[k.low] || participleCues[k.low])
}

// Verbs that may come before their speaker: "“…,” said Marta Olvera".
var invertible = setOf(`said says added adds asked asks wrote writes continued recalled explained noted
argued insisted warned declared replied countered cautioned stated confirmed acknowledged observed
remarked answered responded estimated predicted conceded`)

// Verbs whose object is the listener: "told Reuters that ...".
var listenerVerbs = setOf(`told tells tell assured informed reminded warned warns urged urges`)

// Base forms need a plural subject to be a finite cue ("officials say").
var baseForms = setOf(`say tell state write claim argue insist warn admit confirm estimate predict believe deny dispute`)

// Verbs that are a cue only in some constructions; see validCue.
var pickyCues = setOf(`added adds called calls posted reported reports described describes answered
repeated defended questioned projected forecast forecasts observed declared declares announced announces`)

// Participles that carry the main clause's subject: ", saying that Y".
var participleCues = setOf(`saying stating adding claiming arguing noting warning insisting explaining writing
telling asserting suggesting acknowledging admitting confirming estimating predicting denying disputing calling
urging describing`)

// Words that may stand between a subject and its verb without being part
// of the subject ("officials have long said", "she also told").
var auxWords = setOf(`has have had will would also later previously recently repeatedly once again then
publicly privately separately earlier first further directly initially originally subsequently
afterward afterwards already since long still often frequently`)

// Sources named in "according to X" that are not sources of a claim.
var notSources = setOf(`plan plans schedule script tradition custom rules rule law laws protocol policy
procedure procedures guidelines regulations design`)

// Head nouns of noun phrases that mean a single person in a role, for
// "the spokeswoman said" and "she" to find.
var femaleWords = setOf(`she her spokeswoman chairwoman councilwoman congresswoman businesswoman mother wife
daughter sister aunt grandmother queen princess actress waitress woman girl ms. mrs. lady dame
assemblywoman alderwoman sportswoman policewoman mayoress`)

var maleWords = setOf(`he him his spokesman chairman councilman congressman businessman father husband son
brother uncle grandfather king prince actor man boy mr. sir lord assemblyman alderman sportsman policeman`)

// A short list of common first names, used only to tell "he" from "she"
// when an article names people of both.
var femaleNames = setOf(`mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy
betty margaret sandra ashley kimberly emily donna michelle carol amanda melissa deborah stephanie rebecca
sharon laura cynthia kathleen amy angela shirley anna brenda pamela emma nicole helen samantha katherine
christine debra rachel carolyn janet catherine maria heather diane ruth julie olivia joyce virginia
victoria kelly lauren christina joan evelyn judith megan andrea cheryl hannah jacqueline martha gloria
teresa ann sara madison frances kathryn janice jean abigail alice judy sophia grace denise amber doris
marilyn danielle beverly isabella theresa diana natalie brittany charlotte marie kayla alexis lori
ana sofia lucia elena marta carmen rosa isabel claire chloe camille fatima aisha amina leila layla
yasmin priya anita sunita mei ling yuki keiko ingrid astrid greta freya nadia olga irina svetlana
tanya vera zoe ella mia ava lily nora ellie hazel aurora violet stella maya leah audrey ruby alicia
gabriela mariana valentina ximena renee monique yvonne sylvie brigitte simone gemma fiona siobhan
aoife niamh kate beth jane joanna jo lena linnea ingrid hilde annika elisa giulia francesca chiara
paola beatriz ines rania noor hana sana miriam naomi esther tamar dalia ngozi chioma amara adaeze
thandiwe zanele wanjiru akosua abena`)

var maleNames = setOf(`james robert john michael david william richard joseph thomas charles christopher
daniel matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald
edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin
samuel gregory alexander frank patrick raymond jack dennis jerry tyler aaron jose adam nathan henry
douglas zachary peter kyle ethan walter noah jeremy christian keith roger terry gerald harold sean
austin carl arthur lawrence dylan jesse jordan bryan billy joe bruce gabriel logan albert willie alan
juan wayne elijah randy roy vincent ralph eugene russell bobby mason philip louis carlos miguel luis
jorge diego pedro pablo javier antonio manuel francisco rafael alejandro mohammed muhammad ahmed ali
omar hassan hussein khalid yusuf ibrahim mahmoud basem karim tariq rashid hamid amir reza hamza
raj rahul amit sanjay vijay arjun ravi wei jian hiroshi takeshi kenji hans klaus jurgen stefan lars
sven olaf erik nils pierre jean-pierre jacques francois michel luc marco luca giovanni giuseppe
alessandro matteo andrea sergei dmitri vladimir ivan nikolai oleg yuri boris igor liam oliver owen
lucas leo hugo felix oscar max theo finn declan conor ciaran seamus callum angus rory kwame kofi
chinedu emeka oluwaseun tunde obinna thabo sipho jomo kamau`)
