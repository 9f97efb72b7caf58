/** Types for cli.js. */
import type { ChildProcess } from 'child_process';
import type { Emulator, EmulatorOptions } from './server';

export declare const CLI_PATH: string;
export declare const USAGE: string;
export declare function parseArgs(argv: string[]): EmulatorOptions & { help?: boolean };
/** Start an emulator in this process from CLI arguments (null after --help). */
export declare function runCli(
	argv: string[],
	io?: { out?: (line: string) => void; handleSignals?: boolean },
): Promise<Emulator | null>;
/** Start the emulator as a child process; resolves once it listens. */
export declare function spawnEmulator(argv?: string[]): Promise<{
	url: string;
	rootUrl: string;
	child: ChildProcess;
	stop: () => Promise<void>;
}>;
