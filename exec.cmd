@rem Windows stand-in for the POSIX shell's `exec`, which package.json's "start" script begins with.
@rem On Linux and macOS npm runs that script with /bin/sh, where `exec` replaces the shell with `env`, which sets
@rem glibc's malloc setting and replaces itself with node, so a SIGTERM sent to npm reaches the bot and nothing
@rem outlives npm. cmd.exe has no `exec`: it finds this file in the package folder (npm's working directory) instead.
@rem Windows has no glibc, so a leading `env NAME=value` is dropped, and the rest of the line runs unchanged.
@echo off
setlocal
set "line=%*"
if /i "%line:~0,4%"=="env " for /f "tokens=1,* delims= " %%a in ("%line:~4%") do set "line=%%b"
%line%
