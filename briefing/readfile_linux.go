//go:build linux

package briefing

import (
	"io"
	"syscall"
)

// readPlainFile reads the file at path if it is a regular file of at most
// limit bytes and not a symbolic link, with fewer system calls than
// resolveWithin and readLimited: a stat of the path that does not follow
// a link (nothing else is opened: not a named pipe, whose writer an open
// would release), an open that neither follows a link nor waits (should
// the path have changed since), the reads and the close, on the
// descriptor itself (an os.File would add its registration with the
// poller and a finalizer). ok is false when it could not: the caller then
// takes the general way, which reports why.
func readPlainFile(path string, limit int64) (data []byte, ok bool) {
	var st syscall.Stat_t
	if err := syscall.Lstat(path, &st); err != nil || st.Mode&syscall.S_IFMT != syscall.S_IFREG || st.Size > limit {
		return nil, false
	}
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, false
	}
	defer syscall.Close(fd)
	n := limit
	if n < 1<<62 {
		n++ // one byte more than allowed, to notice growth
	}
	data, err = readUpTo(fdReader(fd), n, st.Size)
	if err != nil || int64(len(data)) != st.Size {
		return nil, false // changed since it was looked at: the general way reads it again
	}
	return data, true
}

// fdReader reads a file descriptor.
type fdReader int

func (f fdReader) Read(p []byte) (int, error) {
	for {
		n, err := syscall.Read(int(f), p)
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return 0, err
		case n == 0 && len(p) > 0:
			return 0, io.EOF
		}
		return n, nil
	}
}
