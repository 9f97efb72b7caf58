// Shared by `npm start`, the end-to-end tests, the screenshot script and the benchmark: every
// process they start leads its own process group and is stopped through that group, by PID,
// never by name.

/** Sends `signal` to the process group led by `pid`; false when the group is already gone. */
export function signalGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
		return true;
	} catch (err) {
		if (err.code !== 'ESRCH') throw err;
		return false;
	}
}
