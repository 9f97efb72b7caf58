import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import type { INodeParameters, INodeProperties, INodePropertyCollection, INodePropertyOptions } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { ElevateAiApi } from '../credentials/ElevateAiApi.credentials';
import { ElevateAi } from '../nodes/ElevateAi/ElevateAi.node';
import { CHAT_LANGUAGE_TAGS, optionValues } from '../nodes/ElevateAi/helpers/contract';
import { params } from './helpers/context';

const ROOT = resolve(__dirname, '..');
interface PackageJson {
	name: string;
	keywords: string[];
	license: string;
	files: string[];
	n8n: { credentials: string[]; nodes: string[] };
	peerDependencies?: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
const description = new ElevateAi().description;

const OPERATIONS = [
	'declare',
	'upload',
	'getStatus',
	'waitForCompletion',
	'get',
	'getTranscript',
	'getAiResults',
	'getSummary',
	'getAgentInsights',
	'findPhrases',
	'delete',
	'transcribe',
];
const ON_EXISTING = ['upload', 'getStatus', 'waitForCompletion', 'get', 'getTranscript', 'getAiResults', 'getSummary', 'getAgentInsights', 'findPhrases', 'delete'];

/** The properties n8n shows for an operation (and, optionally, an interaction type). */
function shown(operation: string, extra: Record<string, string> = {}): INodeProperties[] {
	const values: Record<string, string> = { resource: 'interaction', operation, interactionType: 'audio', recordingSource: 'binary', summary: 'none', ...extra };
	return description.properties.filter((property) => {
		const show = property.displayOptions?.show ?? {};
		return Object.entries(show).every(([key, allowed]) => (allowed as unknown[]).includes(values[key]));
	});
}

function property(operation: string, name: string, extra: Record<string, string> = {}): INodeProperties {
	const found = shown(operation, extra).filter((p) => p.name === name);
	expect(found).toHaveLength(1);
	return found[0];
}

/** Every option list in the description, with where it is, recursively. */
function optionLists(properties: INodeProperties[], path = ''): Array<{ where: string; names: string[] }> {
	const lists: Array<{ where: string; names: string[] }> = [];
	for (const p of properties) {
		const where = `${path}${p.name}`;
		if (!p.options) continue;
		if (p.type === 'options' || p.type === 'multiOptions') {
			lists.push({ where, names: (p.options as INodePropertyOptions[]).map((o) => o.name) });
		} else if (p.type === 'collection') {
			const children = p.options as INodeProperties[];
			lists.push({ where, names: children.map((o) => o.displayName) });
			lists.push(...optionLists(children, `${where}.`));
		} else if (p.type === 'fixedCollection') {
			for (const group of p.options as INodePropertyCollection[]) {
				lists.push(...optionLists(group.values, `${where}.${group.name}.`));
			}
		}
	}
	return lists;
}

describe('package', () => {
	describe('package.json', () => {
		it('should be the MIT community package n8n-nodes-elevateai shipping dist only', () => {
			expect(pkg.name).toBe('n8n-nodes-elevateai');
			expect(pkg.keywords).toContain('n8n-community-node-package');
			expect(pkg.license).toBe('MIT');
			expect(pkg.files).toEqual(['dist']);
		});

		it('should declare the n8n block: API version 1, strict, one credential and one node under dist', () => {
			expect(pkg.n8n).toEqual({
				n8nNodesApiVersion: 1,
				strict: true,
				credentials: ['dist/credentials/ElevateAiApi.credentials.js'],
				nodes: ['dist/nodes/ElevateAi/ElevateAi.node.js'],
			});
		});

		it('should point the n8n paths at files the build emits from existing sources', () => {
			const build = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { extends: string; include: string[] };
			const base = JSON.parse(readFileSync(join(ROOT, build.extends), 'utf8')) as { compilerOptions: { outDir: string } };
			const outDir = base.compilerOptions.outDir.replace(/^\.\//, '').replace(/\/$/, '');
			for (const built of [...pkg.n8n.credentials, ...pkg.n8n.nodes] as string[]) {
				expect(built.startsWith(`${outDir}/`)).toBe(true);
				const source = built.slice(outDir.length + 1).replace(/\.js$/, '.ts');
				expect(existsSync(join(ROOT, source))).toBe(true);
				expect(build.include.some((pattern) => source.startsWith(pattern.split('/')[0]))).toBe(true);
			}
		});

		it('should have no runtime dependencies and only n8n-workflow as a peer', () => {
			expect(pkg).not.toHaveProperty('dependencies');
			expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		});

		it('should name the node in its codex as <package>.<node name>', () => {
			const codex = JSON.parse(readFileSync(join(ROOT, 'nodes/ElevateAi/ElevateAi.node.json'), 'utf8')) as { node: string };
			expect(codex.node).toBe(`${pkg.name}.${description.name}`);
		});

		it('should give scripts, bench and e2e the same package name, node type and credential type (scripts/package-info.mjs)', () => {
			// package-info.mjs is the one definition the plain-Node tooling reads; it derives the
			// names from package.json's n8n paths, so prove the derivation matches the classes.
			const info = JSON.parse(
				execFileSync(
					process.execPath,
					['--input-type=module', '-e', "import('./scripts/package-info.mjs').then((m) => console.log(JSON.stringify({ ...m, PACKAGE_JSON: undefined })))"],
					{ cwd: ROOT, encoding: 'utf8' },
				),
			) as Record<string, string>;
			expect(info).toMatchObject({
				PACKAGE_NAME: pkg.name,
				NODE_NAME: description.name,
				NODE_TYPE: `${pkg.name}.${description.name}`,
				TOOL_NODE_TYPE: `${pkg.name}.${description.name}Tool`,
				CREDENTIAL_TYPE: new ElevateAiApi().name,
			});
		});

		it('should reference icons that exist, for the node and the credential', () => {
			const icons = [
				[join(ROOT, 'nodes/ElevateAi'), description.icon],
				[join(ROOT, 'credentials'), new ElevateAiApi().icon],
			] as Array<[string, { light: string; dark: string }]>;
			const files = icons.map(([dir, icon]) =>
				[icon.light, icon.dark].map((file) => {
					expect(file.startsWith('file:')).toBe(true);
					return resolve(dir, file.slice('file:'.length));
				}),
			);
			for (const file of files.flat()) expect(existsSync(file)).toBe(true);
			// One copy of each icon, shared by node and credential.
			expect(files[0]).toEqual(files[1]);
			expect(dirname(files[0][0])).toBe(join(ROOT, 'icons'));
		});
	});

	describe('node description', () => {
		it('should be elevateAi version 1, usable as a tool, with the elevateAiApi credential', () => {
			expect(description.name).toBe('elevateAi');
			expect(description.displayName).toBe('ElevateAI');
			expect(description.version).toBe(1);
			expect(description.usableAsTool).toBe(true);
			expect(description.credentials).toEqual([{ name: 'elevateAiApi', required: true, testedBy: 'elevateAiApiTest' }]);
		});

		it('should offer the resource interaction (default) and exactly the twelve operations, each with an action', () => {
			const resource = description.properties.find((p) => p.name === 'resource') as INodeProperties;
			expect(resource.default).toBe('interaction');
			expect((resource.options as INodePropertyOptions[]).map((o) => o.value)).toEqual(['interaction']);
			const operation = property('declare', 'operation');
			const options = operation.options as INodePropertyOptions[];
			expect(options.map((o) => o.value).sort()).toEqual([...OPERATIONS].sort());
			for (const option of options) expect(option.action).toEqual(expect.any(String));
			expect(OPERATIONS).toContain(operation.default);
		});

		it.each(ON_EXISTING)('should take interactionIdentifier from the input item by default in %s', (operation) => {
			expect(property(operation, 'interactionIdentifier')).toMatchObject({ type: 'string', default: '={{ $json.interactionIdentifier }}' });
			expect(params({ operation }).interactionIdentifier).toBe('={{ $json.interactionIdentifier }}');
		});

		it.each(['declare', 'transcribe'])('should have the declaration parameters with their defaults in %s', (operation) => {
			expect(params({ operation })).toMatchObject({
				interactionType: 'audio',
				languageTag: 'en-us',
				vertical: 'default',
				includeAiResults: false,
				additionalFields: {},
			});
			const type = property(operation, 'interactionType');
			expect((type.options as INodePropertyOptions[]).map((o) => o.value)).toEqual(['audio', 'chat', 'transcript']);
			const language = property(operation, 'languageTag');
			expect((language.options as INodePropertyOptions[]).map((o) => o.value).sort()).toEqual(
				['auto', 'en', 'en-us', 'es-419', 'ja', 'pt-br'],
			);
			expect(property(operation, 'vertical').options).toEqual([{ name: 'Default', value: 'default' }]);
			expect(property(operation, 'includeAiResults')).toMatchObject({ type: 'boolean', default: false });
			expect(property(operation, 'chat', { interactionType: 'chat' }).type).toBe('json');
			expect(property(operation, 'transcript', { interactionType: 'transcript' }).type).toBe('json');
			const fields = property(operation, 'additionalFields');
			expect(fields.type).toBe('collection');
			const children = fields.options as INodeProperties[];
			expect(children.map((c) => c.name).sort()).toEqual(
				['audioTranscriptionMode', 'downloadUri', 'externalIdentifier', 'metadata', 'model', 'originalFilename'],
			);
			expect(children.find((c) => c.name === 'metadata')?.type).toBe('json');
		});

		it('should read the recording from the binary field "data" by default', () => {
			expect(params({ operation: 'upload' }).binaryPropertyName).toBe('data');
			expect(params({ operation: 'transcribe' }).binaryPropertyName).toBe('data');
			expect(params({ operation: 'transcribe', interactionType: 'chat' })).not.toHaveProperty('binaryPropertyName');
		});

		it('should wait 60 minutes at most, with a plain automatic Poll Interval (0) that the hint explains', () => {
			expect(params({ operation: 'waitForCompletion' }).timeout).toBe(60);
			expect(params({ operation: 'transcribe' }).timeout).toBe(60);
			for (const operation of ['waitForCompletion', 'transcribe']) {
				for (const interactionType of ['audio', 'chat', 'transcript']) {
					const shownHere = shown(operation, { interactionType, waitMode: 'poll' }).filter((x) => x.name === 'pollInterval');
					expect(shownHere).toHaveLength(1);
					// A number, not an expression: the node picks 30 s or 5 s from the interaction's type.
					expect(shownHere[0]).toMatchObject({ type: 'number', default: 0, typeOptions: { minValue: 0 } });
					expect(shownHere[0].hint).toBe('0 = automatic: every 30 s for audio, every 5 s for chat and transcript, as ElevateAI asks');
				}
			}
			// Route mode never sleeps, so it has no Poll Interval.
			expect(shown('waitForCompletion', { waitMode: 'route' }).map((x) => x.name)).not.toContain('pollInterval');
		});

		it('should return the punctuated transcript by default', () => {
			expect(params({ operation: 'getTranscript' }).transcriptFormat).toBe('punctuated');
			expect(params({ operation: 'transcribe' }).transcriptFormat).toBe('punctuated');
			expect((property('getTranscript', 'transcriptFormat').options as INodePropertyOptions[]).map((o) => o.value).sort()).toEqual([
				'phraseByPhrase',
				'punctuated',
			]);
		});

		it.each(OPERATIONS)('should give %s an Options collection with Concurrency and Max Retries', (operation) => {
			const options = property(operation, 'options');
			expect(options.type).toBe('collection');
			expect((options.options as INodeProperties[]).map((o) => o.name)).toEqual(expect.arrayContaining(['concurrency', 'maxRetries']));
		});

		it('should keep every option list sorted by its display name, deprecated entries last', () => {
			const lists = optionLists(description.properties);
			expect(lists.length).toBeGreaterThan(20);
			const deprecated = (name: string) => name.endsWith('(Deprecated)');
			const sorted = (names: string[]) => [...names].sort((a, b) => a.localeCompare(b));
			for (const { where, names } of lists) {
				expect({ where, names }).toEqual({ where, names: [...sorted(names.filter((n) => !deprecated(n))), ...sorted(names.filter(deprecated))] });
			}
		});

		describe('Transcribe and Declare read like the task (issue 15 point 5)', () => {
			const children = (operation: string, name: string, extra: Record<string, string> = {}) =>
				property(operation, name, extra).options as INodeProperties[];
			/** What Add Field / Add Option offers on a fresh node: the children n8n displays with nothing set. */
			const offered = (operation: string, name: string, root: INodeParameters = {}) =>
				children(operation, name)
					.filter((child) => NodeHelpers.displayParameter({}, child, null, description, params({ operation, ...root })))
					.map((child) => child.displayName);

			it.each(['declare', 'transcribe'])('should ask %s for the Recording Source first and show only what applies', (operation) => {
				const audio = params({ operation });
				expect(audio.recordingSource).toBe('binary');
				expect(audio).not.toHaveProperty('downloadUri');
				expect((property(operation, 'recordingSource').options as INodePropertyOptions[]).map((o) => [o.name, o.value])).toEqual([
					['Binary File', 'binary'],
					['URL', 'url'],
				]);
				const url = params({ operation, recordingSource: 'url' });
				expect(url.downloadUri).toBe('');
				expect(url).not.toHaveProperty('binaryPropertyName');
				expect(property(operation, 'downloadUri', { recordingSource: 'url' })).toMatchObject({ displayName: 'Download URI', required: true });
				for (const interactionType of ['chat', 'transcript']) {
					expect(params({ operation, interactionType })).not.toHaveProperty('recordingSource');
					expect(params({ operation, interactionType, recordingSource: 'url' })).not.toHaveProperty('downloadUri');
				}
				const names = shown(operation).map((p) => p.name);
				expect(names.indexOf('recordingSource')).toBe(names.indexOf('interactionType') + 1);
			});

			it('should show Transcribe\'s Input Binary Field only for a Binary File, without the Download URI caveat', () => {
				expect(params({ operation: 'transcribe' }).binaryPropertyName).toBe('data');
				const binary = property('transcribe', 'binaryPropertyName');
				expect(binary).toMatchObject({ required: true, hint: 'The input binary field that holds the recording' });
				expect(params({ operation: 'declare' })).not.toHaveProperty('binaryPropertyName');
				// Declare says what comes next instead.
				expect(shown('declare', { recordingSource: 'binary' }).map((p) => p.name)).toContain('uploadNextNotice');
				expect(shown('declare', { recordingSource: 'url' }).map((p) => p.name)).not.toContain('uploadNextNotice');
			});

			it('should offer one Summary choice, None by default, and its language only when a summary is asked for', () => {
				const fresh = params({ operation: 'transcribe' });
				expect(fresh.summary).toBe('none');
				expect(fresh).not.toHaveProperty('summaryLanguage');
				expect((property('transcribe', 'summary').options as INodePropertyOptions[]).map((o) => [o.name, o.value])).toEqual([
					['None', 'none'],
					['Summary', 'summary'],
					['Summary With Details', 'summaryWithDetails'],
				]);
				for (const summary of ['summary', 'summaryWithDetails']) {
					expect(params({ operation: 'transcribe', summary })).toMatchObject({ summary, summaryLanguage: '' });
				}
				expect(params({ operation: 'declare' })).not.toHaveProperty('summary');
			});

			it('should no longer offer the old summary options or the old Download URI, and keep them only while set', () => {
				const options = offered('transcribe', 'options');
				expect(options).toEqual(expect.arrayContaining(['Upload File Name', 'Delete After Reading']));
				expect(options.filter((n) => /Summary/.test(n))).toEqual([]);
				for (const operation of ['declare', 'transcribe']) {
					expect(offered(operation, 'additionalFields')).not.toContain('Download URI (Deprecated)');
					expect(params({ operation, additionalFields: { downloadUri: '={{ $json.url }}' } }).additionalFields).toEqual({ downloadUri: '={{ $json.url }}' });
				}
				const old = { includeSummary: true, includeSummaryDetails: false, summaryLanguage: 'de-DE' };
				expect(params({ operation: 'transcribe', options: old }).options).toEqual(old);
				// Choosing a Summary removes them, so the two can never disagree.
				expect(params({ operation: 'transcribe', summary: 'summaryWithDetails', options: old }).options).toEqual({});
			});

			it('should list the deprecated Audio Transcription Mode last in Add Field, labelled (Deprecated)', () => {
				for (const operation of ['declare', 'transcribe']) {
					const fields = offered(operation, 'additionalFields');
					expect(fields[fields.length - 1]).toBe('Audio Transcription Mode (Deprecated)');
					expect(fields).toEqual(['External Identifier', 'Metadata (JSON)', 'Model', 'Portal File Name', 'Audio Transcription Mode (Deprecated)']);
					expect(offered(operation, 'additionalFields', { interactionType: 'chat' })).toEqual(['External Identifier', 'Metadata (JSON)', 'Portal File Name']);
				}
			});

			it('should tell the upload\'s file name and the portal\'s file name apart', () => {
				const upload = children('transcribe', 'options').find((o) => o.name === 'fileName') as INodeProperties;
				const portal = children('transcribe', 'additionalFields').find((o) => o.name === 'originalFilename') as INodeProperties;
				expect(upload.displayName).toBe('Upload File Name');
				expect(portal.displayName).toBe('Portal File Name');
				expect(upload.description).toMatch(/^Upload the recording under this name/);
				expect(portal.description).toMatch(/portal lists the interaction under.*does not rename the uploaded file/);
				expect((children('upload', 'options').find((o) => o.name === 'fileName') as INodeProperties).displayName).toBe('Upload File Name');
			});

			it('should use the current choices in every example, none of the old parameters', () => {
				const dir = join(ROOT, 'examples');
				const nodes = readdirSync(dir)
					.filter((file) => file.endsWith('.json'))
					.flatMap((file) => (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: Array<{ name: string; type: string; parameters: INodeParameters }> }).nodes)
					.filter((node) => node.type === 'n8n-nodes-elevateai.elevateAi');
				expect(nodes.length).toBeGreaterThan(5);
				for (const node of nodes) {
					const { options = {}, additionalFields = {} } = node.parameters as { options?: object; additionalFields?: object };
					expect({ node: node.name, old: Object.keys(options).filter((k) => /^(includeSummary|includeSummaryDetails|summaryLanguage)$/.test(k)) }).toEqual({ node: node.name, old: [] });
					expect({ node: node.name, downloadUri: 'downloadUri' in additionalFields }).toEqual({ node: node.name, downloadUri: false });
				}
			});

			it.each(['declare', 'transcribe'])('should offer %s chat only the languages ElevateAI supports for chat', (operation) => {
				const values = (interactionType: string) =>
					(property(operation, 'languageTag', { interactionType }).options as INodePropertyOptions[]).map((o) => o.value);
				expect(values('chat').sort()).toEqual([...CHAT_LANGUAGE_TAGS].sort());
				expect(values('chat')).not.toEqual(expect.arrayContaining(['auto']));
				for (const interactionType of ['audio', 'transcript']) expect(values(interactionType).sort()).toEqual(optionValues('languageTag').sort());
				expect(params({ operation, interactionType: 'chat' }).languageTag).toBe('en-us');
			});
		});

		it('should describe every boolean with "Whether"', () => {
			const booleans = collectBooleans(description.properties);
			expect(booleans.length).toBeGreaterThan(3);
			for (const p of booleans) expect(p.description).toMatch(/^Whether /);
		});
	});
});

function collectBooleans(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((p) => [
		...(p.type === 'boolean' ? [p] : []),
		...(p.type === 'collection' ? collectBooleans(p.options as INodeProperties[]) : []),
	]);
}
