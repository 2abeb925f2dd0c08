//go:build unix && !linux

package briefing

import (
	"os"
	"syscall"
)

// readPlainFile reads the file at path if it is a regular file of at most
// limit bytes and not a symbolic link, with fewer system calls than
// resolveWithin and readLimited: a stat of the path that does not follow a
// link (nothing else is opened: not a named pipe, whose writer an open
// would release), an open that neither follows a link nor waits (should
// the path have changed since) and the reads. ok is false when it could
// not: the caller then takes the general way, which reports why.
func readPlainFile(path string, limit int64) (data []byte, ok bool) {
	info, err := os.Lstat(path)
	if err != nil || !info.Mode().IsRegular() || info.Size() > limit {
		return nil, false
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	n := limit
	if n < 1<<62 {
		n++ // one byte more than allowed, to notice growth
	}
	data, err = readUpTo(f, n, info.Size())
	if err != nil || int64(len(data)) != info.Size() {
		return nil, false // changed since it was looked at: the general way reads it again
	}
	return data, true
}
