// `tsc` emits only JavaScript; n8n resolves `file:` icons relative to the compiled node and
// credential files, which point at ../../icons, so the single icon folder is copied to dist/icons.
const { src, dest } = require('gulp');

function buildIcons() {
	return src('icons/*.svg').pipe(dest('dist/icons'));
}

exports['build:icons'] = buildIcons;
