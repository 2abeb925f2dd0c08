//go:build !unix

package briefing

// readPlainFile leaves every file to the general way (resolveWithin and
// readLimited) where there is no open that does not follow links.
func readPlainFile(path string, limit int64) (data []byte, ok bool) { return nil, false }
