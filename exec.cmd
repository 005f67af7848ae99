@rem Windows stand-in for the POSIX shell's `exec`, which package.json's "start" script begins with.
@rem On Linux and macOS npm runs that script with /bin/sh, where `exec` replaces the shell with node, so a
@rem SIGTERM sent to npm reaches the bot and nothing outlives npm. cmd.exe has no `exec`: it finds this file in
@rem the package folder (npm's working directory) instead, and this runs the rest of the line unchanged.
@%*
