// The newer editor choices (Summary, Recording Source) and the old parameters saved workflows
// still carry. The fake context fills parameters with n8n's own NodeHelpers.getNodeParameters,
// which drops what the description does not show, so these tests also prove that the old
// parameters survive n8n's clean-up while they are set.
import type { INodeParameters } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readRecordingWanted, readSummaryWanted } from '../../../../nodes/ElevateAi/helpers/legacy';
import { fakeContext } from '../../../helpers/context';

const transcribe = (p: INodeParameters, json = {}) => fakeContext({ params: { operation: 'transcribe', ...p }, items: [{ json }] });
const summaryOf = (p: INodeParameters, json = {}) => readSummaryWanted(transcribe(p, json).ctx, 0);
const recordingOf = (operation: string, p: INodeParameters) =>
	readRecordingWanted(fakeContext({ params: { operation, ...p } }).ctx, 0);

describe('readSummaryWanted', () => {
	it('should ask for no summary by default (Summary None, no old options)', () => {
		expect(summaryOf({})).toBeUndefined();
		expect(transcribe({}).itemParams[0]).toMatchObject({ summary: 'none' });
		expect(transcribe({}).itemParams[0]).not.toHaveProperty('summaryLanguage');
	});

	it.each([
		['summary', { includeDetails: false }],
		['summaryWithDetails', { includeDetails: true }],
	])('should read Summary %s and its Summary Language', (summary, expected) => {
		expect(summaryOf({ summary })).toEqual({ ...expected, language: undefined });
		expect(summaryOf({ summary, summaryLanguage: ' es-419 ' })).toEqual({ ...expected, language: 'es-419' });
	});

	describe('saved workflows with the old options (Summary unset = None)', () => {
		it.each([
			[{ includeSummary: true }, { includeDetails: false, language: undefined }],
			// Include Summary Details alone turned the summary on, with its details.
			[{ includeSummaryDetails: true }, { includeDetails: true, language: undefined }],
			[{ includeSummary: true, includeSummaryDetails: true, summaryLanguage: 'de-DE' }, { includeDetails: true, language: 'de-DE' }],
			[{ includeSummary: false, includeSummaryDetails: false }, undefined],
			[{ summaryLanguage: 'pt-BR' }, undefined],
			[{ includeSummary: '={{ $json.wanted }}' }, { includeDetails: false, language: undefined }],
		])('should read options %j as before', (options, expected) => {
			expect(summaryOf({ options }, { wanted: true })).toEqual(expected);
		});

		it('should keep the old options through n8n\'s parameter clean-up while they are set', () => {
			const options = { includeSummary: true, includeSummaryDetails: true, summaryLanguage: 'de-DE' };
			expect(transcribe({ options }).itemParams[0].options).toEqual(options);
		});

		it('should drop the old options once a Summary is chosen: the new choice wins', () => {
			const fake = transcribe({ summary: 'summary', options: { includeSummaryDetails: true, summaryLanguage: 'de-DE' } });
			expect(fake.itemParams[0].options).toEqual({});
			expect(readSummaryWanted(fake.ctx, 0)).toEqual({ includeDetails: false, language: undefined });
		});

		it('should still check the old Summary Language as before, naming it and the item', () => {
			expect(() => summaryOf({ options: { summaryLanguage: 'en US' } })).toThrow(
				/^Invalid Summary Language: must be a BCP 47 language tag.* \[item 0\]$/,
			);
		});
	});

	it.each([
		[{ summary: 'brief' }, /^Invalid Summary: must be one of: none, summary, summaryWithDetails \[item 0\]$/],
		[{ summary: 'summary', summaryLanguage: 'en_US;q=1' }, /^Invalid Summary Language: must be a BCP 47.* \[item 0\]$/],
		[{ options: { includeSummary: 'yes' } }, /^Invalid Include Summary: must be true or false \[item 0\]$/],
	])('should refuse %j naming the field and item', (p, message) => {
		expect(() => summaryOf(p)).toThrow(NodeOperationError);
		expect(() => summaryOf(p)).toThrow(message);
	});

	it('should take the Summary from an expression', () => {
		expect(summaryOf({ summary: '={{ $json.s }}' }, { s: 'summaryWithDetails' })).toEqual({ includeDetails: true, language: undefined });
		expect(() => summaryOf({ summary: '={{ $json.s }}' }, { s: 'all' })).toThrow(/^Invalid Summary: .* \[item 0\]$/);
	});
});

describe('readRecordingWanted', () => {
	it.each(['declare', 'transcribe'])('should upload the binary by default in %s', (operation) => {
		expect(recordingOf(operation, {})).toEqual({ source: 'binary', downloadUri: undefined });
	});

	it.each(['declare', 'transcribe'])('should give the Download URI with Recording Source URL in %s', (operation) => {
		expect(recordingOf(operation, { recordingSource: 'url', downloadUri: 'https://files.example.com/a.wav' })).toEqual({
			source: 'url',
			downloadUri: 'https://files.example.com/a.wav',
		});
		// Empty is left to the caller's Download URI check, which names the field.
		expect(recordingOf(operation, { recordingSource: 'url' })).toEqual({ source: 'url', downloadUri: '' });
	});

	it.each(['declare', 'transcribe'])('should still use the old Additional Fields → Download URI with Binary File in %s, as before', (operation) => {
		expect(recordingOf(operation, { additionalFields: { downloadUri: ' https://files.example.com/old.wav ' } })).toEqual({
			source: 'binary',
			downloadUri: 'https://files.example.com/old.wav',
		});
		// An empty old field is no field.
		expect(recordingOf(operation, { additionalFields: { downloadUri: '  ' } })).toEqual({ source: 'binary', downloadUri: undefined });
	});

	it('should not read a Download URI that the description hides (Binary File)', () => {
		expect(recordingOf('transcribe', { downloadUri: 'https://files.example.com/hidden.wav' })).toEqual({ source: 'binary', downloadUri: undefined });
	});

	it('should refuse a URL given twice (Recording Source URL and the old field), naming the old field and the item', () => {
		const run = () =>
			recordingOf('transcribe', {
				recordingSource: 'url',
				downloadUri: 'https://files.example.com/new.wav',
				additionalFields: { downloadUri: 'https://files.example.com/old.wav' },
			});
		expect(run).toThrow(NodeOperationError);
		expect(run).toThrow(
			'Invalid Download URI (Deprecated): Recording Source is URL, so the recording comes from Download URI; remove Additional Fields → Download URI (Deprecated) [item 0]',
		);
	});

	it('should refuse an unknown Recording Source from a hand-edited workflow, naming it', () => {
		expect(() => recordingOf('transcribe', { recordingSource: 'ftp' })).toThrow(/^Invalid Recording Source: must be one of: binary, url \[item 0\]$/);
	});
});
