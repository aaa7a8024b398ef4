// The walkthrough as a user meets it: steps in the talk's order, each with a working button, real media and a completion
// event tied to something the extension really does.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isReferenceRun, referenceRunDir } from '../../src/extension/referenceRuns';
import { completionEvent, EXPERIMENT_KEY, experimentById, EXPERIMENTS, findingKey } from '../../src/extension/experiments/catalogue';
import { PROGRESS_STEPS, progressKey } from '../../src/extension/walkthroughProgress';
import { FINDING_KINDS } from '../../src/protocol/findings';
import { PRESETS } from '../../src/trainer/presets';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; svg?: string; image?: string; altText?: string };
  completionEvents?: string[];
}
interface Walkthrough {
  id: string;
  steps: Step[];
}

/** The context keys the extension sets (the shared agreement); a completion event on any other key would never fire. */
const CONTEXT_KEYS = [
  'ganscope.trainingStatus', 'ganscope.liveStep', 'ganscope.livePreset',
  'ganscope.opened.graph', 'ganscope.opened.activations', 'ganscope.opened.batchNorm', 'ganscope.opened.gallery', 'ganscope.opened.metrics',
  'ganscope.openedLayer', // the name of the last layer whose activations were opened, e.g. "G.conv2dTranspose1"
  ...PROGRESS_STEPS.map(progressKey), // set when the learner did a step's action and its promise is on screen
  EXPERIMENT_KEY, ...FINDING_KINDS.map(findingKey), // the experiment the live run is, and the kinds of its findings
];
/** VS Code's own commands a step may link to. */
const BUILT_IN_COMMANDS = ['workbench.action.openSettings', 'workbench.action.openWalkthrough'];

/** The talk's agenda, in order: the step ids the walkthrough must have. */
const AGENDA = [
  'what-is-a-gan', 'networks', 'idea', 'gan-part-1', 'gan-part-2', 'code', 'latent-space', // 1. what GANs are and how they work
  'architecture', 'convolutions', 'batch-norm', // 2. the DCGAN tricks
  'pose', 'semi-supervised', 'progressive', 'scores', // 3. the latest results, then how GANs are scored
  'future', // 4. the future
];

/** `[label](command:id?args)` links in markdown; args are URL-encoded JSON; `toSide:` opens what the command shows beside the walkthrough. */
function commandLinks(markdown: string): { label: string; command: string; args?: unknown[] }[] {
  return [...markdown.matchAll(/\[([^\]]*)\]\(command:(?:toSide:)?([\w.-]+)(?:\?([^)\s]*))?\)/g)].map(([, label, command, query]) => ({
    label, command, args: query ? (JSON.parse(decodeURIComponent(query)) as unknown[]) : undefined,
  }));
}

function contributedCommands(p: typeof pkg): Set<string> {
  const views: string[] = Object.values(p.contributes.views as Record<string, { id: string }[]>).flat().map((v) => v.id);
  return new Set([
    ...(p.contributes.commands as { command: string }[]).map((c) => c.command),
    ...views.map((id) => `${id}.focus`), // VS Code adds a focus command for every contributed view
    ...BUILT_IN_COMMANDS,
  ]);
}

/** The context keys of a when-clause expression: the first name of each clause between &&, ||, ! and parentheses. */
function contextKeys(expression: string): string[] {
  return expression.split(/&&|\|\||[()!]/).map((clause) => /^\s*([A-Za-z_][\w.-]*)/.exec(clause)?.[1]).filter((k): k is string => !!k);
}

/** Everything wrong with a package's walkthroughs, one line each, naming the step and what to fix. */
function walkthroughProblems(p: typeof pkg, read: (path: string) => string | undefined): string[] {
  const problems: string[] = [];
  const commands = contributedCommands(p);
  const views = new Set(Object.values(p.contributes.views as Record<string, { id: string }[]>).flat().map((v) => v.id));
  const checkLinks = (where: string, markdown: string) => {
    for (const link of commandLinks(markdown)) {
      if (!commands.has(link.command)) problems.push(`${where} links to command "${link.command}", which package.json does not contribute`);
      if (link.command === 'ganscope.startTraining' && link.args) {
        const preset = link.args[0];
        if (typeof preset !== 'string' || !PRESETS[preset]) problems.push(`${where} starts training with preset ${JSON.stringify(preset)}, which the trainer does not have`);
      }
      if (link.command === 'ganscope.startExperiment' && !experimentById(link.args?.[0])) {
        problems.push(`${where} starts experiment ${JSON.stringify(link.args?.[0])}, which the extension does not have`);
      }
    }
  };
  for (const walkthrough of p.contributes.walkthroughs as Walkthrough[]) {
    for (const step of walkthrough.steps) {
      const where = `step "${step.id}"`;
      checkLinks(where, step.description);
      const button = step.description.split('\n').map((line) => line.trim()).find((line) => /^\[[^\]]+\]\(command:(toSide:)?ganscope\.[^)]+\)$/.test(line));
      if (!button) problems.push(`${where} has no button: a description line that is only a link to a GANscope command`);
      const paths = [step.media.markdown, step.media.svg, step.media.image].filter((x): x is string => !!x);
      if (paths.length !== 1) problems.push(`${where} needs exactly one media item, has ${paths.length}`);
      for (const path of paths) {
        const text = read(path);
        if (text === undefined) {
          problems.push(`${where} uses media ${path}, which does not exist`);
          continue;
        }
        if (path === step.media.markdown) {
          checkLinks(`${path} (step "${step.id}")`, text);
          for (const [, src] of text.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)) {
            if (!src.startsWith('https://') && read(join(path, '..', src)) === undefined) problems.push(`${path} shows image ${src}, which does not exist`);
          }
        }
        if (path === step.media.svg) problems.push(...svgProblems(path, text));
      }
      if (step.media.svg && !step.media.altText) problems.push(`${where} has an SVG without altText for screen readers`);
      const events = step.completionEvents ?? [];
      if (events.length === 0) problems.push(`${where} has no completion event, so VS Code checks it off when it is merely selected`);
      for (const event of events) {
        const [, kind, value] = /^(\w+):(.*)$/.exec(event) ?? [];
        if (kind === 'onCommand' && !commands.has(value)) problems.push(`${where} completes on command "${value}", which package.json does not contribute`);
        else if (kind === 'onView' && !views.has(value)) problems.push(`${where} completes on view "${value}", which package.json does not contribute`);
        else if (kind === 'onContext') {
          for (const key of contextKeys(value)) {
            if (!CONTEXT_KEYS.includes(key)) problems.push(`${where} completes on context key "${key}", which the extension never sets`);
          }
          for (const [, preset] of value.matchAll(/ganscope\.livePreset\s*==\s*'([^']*)'/g)) {
            if (!PRESETS[preset]) problems.push(`${where} waits for preset "${preset}", which the trainer does not have`);
          }
        } else if (!['onCommand', 'onView', 'onContext'].includes(kind)) problems.push(`${where} has completion event "${event}": use onCommand, onView or onContext`);
      }
    }
  }
  return problems;
}

/**
 * What keeps an SVG step's media from rendering in the theme: VS Code inlines it in a webview whose content security
 * policy blocks <style> elements, style attributes and every outside resource, and only --vscode-* variables follow the
 * theme. It must also be well-formed XML.
 */
function svgProblems(path: string, text: string): string[] {
  const problems = xmlProblems(text).map((p) => `${path} is not well-formed XML: ${p}`);
  if (!/^<svg\b[^>]*\bviewBox="/.test(text.trim())) problems.push(`${path} must start with <svg … viewBox="…"> so the walkthrough can scale it`);
  if (!text.includes('var(--vscode-foreground')) problems.push(`${path} never uses var(--vscode-foreground): its text would not follow the theme`);
  if (/<style\b|\sstyle="/.test(text)) problems.push(`${path} uses <style> or style="…", which the walkthrough's content security policy blocks: use presentation attributes`);
  if (/(?:href|src)="(?!#)/.test(text)) problems.push(`${path} references an outside resource, which the walkthrough's content security policy blocks`);
  problems.push(...layoutProblems(path, text));
  for (const [, attr, value] of text.matchAll(/\b(fill|stroke|color|stop-color)="([^"]*)"/g)) {
    if (/^(#000(000)?|#fff(fff)?|black|white|rgb\(\s*(0\s*,\s*0\s*,\s*0|255\s*,\s*255\s*,\s*255)\s*\))$/i.test(value.trim())) {
      problems.push(`${path} hard-codes ${attr}="${value}", which disappears in one of the themes: use a --vscode-* variable`);
    }
  }
  return problems;
}

/**
 * The column VS Code gives a step's media in a 1400×900 window with the sidebar open: the SVG is drawn at its minimum
 * width, 350 px, and the column is about 700 px tall. A diagram must read well there, so it is portrait and its text is
 * at least 12 px once scaled to fit.
 */
const MEDIA_COLUMN = { width: 350, height: 700 };
const MIN_TEXT_PX = 12;

function layoutProblems(path: string, text: string): string[] {
  const viewBox = /^<svg\b[^>]*\bviewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*"/.exec(text.trim());
  if (!viewBox) return [];
  const [width, height] = [Number(viewBox[1]), Number(viewBox[2])];
  const problems: string[] = [];
  if (width > height) problems.push(`${path} is landscape (viewBox ${width}×${height}); the walkthrough's media column is about ${MEDIA_COLUMN.width} px wide and twice as tall: arrange it vertically`);
  const scale = Math.min(MEDIA_COLUMN.width / width, MEDIA_COLUMN.height / height);
  for (const { content, size } of textSizes(text)) {
    if (size * scale < MIN_TEXT_PX) {
      problems.push(`${path} draws "${content.trim()}" at ${(size * scale).toFixed(1)} px in the walkthrough: give it font-size ≥ ${Math.ceil((MIN_TEXT_PX / scale) * 10) / 10}`);
    }
  }
  return problems;
}

/** Every <text> and <tspan> with its font size in viewBox units, inherited from the nearest ancestor that sets one (CSS's 16 px if none). */
function textSizes(text: string): { content: string; size: number }[] {
  const inherited: (number | undefined)[] = [];
  const open: { name: string; content: string; size: number }[] = [];
  const found: { content: string; size: number }[] = [];
  for (const [, closing, name, attributes, selfClosing, chars] of text.matchAll(/<(\/?)([\w:.-]+)([^>]*?)(\/?)>|([^<]+)/g)) {
    if (chars !== undefined) {
      for (const element of open) element.content += chars;
    } else if (closing) {
      inherited.pop();
      if (open.at(-1)?.name === name) found.push(open.pop()!);
    } else {
      const own = /\bfont-size="([\d.]+)"/.exec(attributes)?.[1];
      const size = own !== undefined ? Number(own) : inherited.at(-1);
      if (name === 'text' || name === 'tspan') {
        if (selfClosing) found.push({ content: '', size: size ?? 16 });
        else open.push({ name, content: '', size: size ?? 16 });
      }
      if (!selfClosing) inherited.push(size);
    }
  }
  return found;
}

/** A strict well-formedness check of the XML subset SVG files use: elements, attributes, text, comments, entities. */
function xmlProblems(text: string): string[] {
  const open: string[] = [];
  const problems: string[] = [];
  const token = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<\/([\w:.-]+)\s*>|<([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|([^<]+)|(<)/g;
  for (const m of text.matchAll(token)) {
    const [, closing, name, , selfClosing, chars, stray] = m;
    if (stray) problems.push(`a "<" that starts no valid tag at offset ${m.index}`);
    else if (closing) {
      const expected = open.pop();
      if (expected !== closing) problems.push(`</${closing}> at offset ${m.index} closes <${expected ?? 'nothing'}>`);
    } else if (name && !selfClosing) open.push(name);
    if (chars) {
      for (const [entity] of chars.matchAll(/&[^;\s]*;?/g)) {
        if (!/^&(amp|lt|gt|quot|apos|#\d+|#x[\da-f]+);$/i.test(entity)) problems.push(`entity "${entity}" at offset ${m.index}`);
      }
    }
  }
  if (open.length) problems.push(`unclosed <${open.join('>, <')}>`);
  return problems;
}

/** A panel command and its panel's context key are one action: opening the panel. */
function completionAction(event: string): string {
  const panel = /^onCommand:ganscope\.open(Graph|Activations|BatchNorm|Gallery|Metrics)$/.exec(event)?.[1];
  return panel ? `onContext:ganscope.opened.${panel[0].toLowerCase()}${panel.slice(1)}` : event;
}

/** Steps that would be checked off by the same action as an earlier one. */
function sharedCompletionProblems(steps: Step[]): string[] {
  const owner = new Map<string, string>();
  const problems: string[] = [];
  for (const step of steps) {
    for (const action of (step.completionEvents ?? []).map(completionAction)) {
      const first = owner.get(action);
      if (first) problems.push(`step "${step.id}" completes on ${action}, as step "${first}" does: give it an event only its own action causes`);
      else owner.set(action, step.id);
    }
  }
  return problems;
}

/** "NeurIPS" with a year before 2018, when the conference was still NIPS, anywhere the walkthrough shows text. */
function neuripsProblems(p: typeof pkg, read: (path: string) => string | undefined): string[] {
  const problems: string[] = [];
  for (const step of (p.contributes.walkthroughs as Walkthrough[]).flatMap((w) => w.steps)) {
    const media = [step.media.markdown, step.media.svg].filter((x): x is string => !!x);
    for (const [where, text] of [[`step "${step.id}"`, step.description], ...media.map((m) => [m, read(m) ?? ''])]) {
      for (const [match, year] of text.matchAll(/NeurIPS,?\s*(\d{4})/g)) {
        if (Number(year) < 2018) problems.push(`${where} says "${match}": it was NIPS until 2018`);
      }
    }
  }
  return problems;
}

function readRepoFile(path: string): string | undefined {
  const full = join(root, path);
  return existsSync(full) ? readFileSync(full, 'utf8') : undefined;
}

describe('The walkthrough', () => {
  const walkthroughs = pkg.contributes.walkthroughs as Walkthrough[];
  const welcome = walkthroughs.find((w) => w.id === 'welcome');

  it('is the one "welcome" walkthrough that GANscope: Open Walkthrough opens', () => {
    assert.ok(welcome, 'package.json contributes a walkthrough with id "welcome"');
    assert.ok((pkg.contributes.commands as { command: string }[]).some((c) => c.command === 'ganscope.openWalkthrough'));
  });

  it('follows the talk\'s agenda, part by part, in order', () => {
    assert.deepEqual(welcome!.steps.map((s) => s.id), AGENDA);
    const parts = welcome!.steps.map((s) => Number(/^(\d)/.exec(s.title)?.[1]));
    assert.deepEqual(parts, [1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4], 'each title starts with its part number');
  });

  it('lists the talk\'s results in its order on its first page: pose, semi-supervised, progressive, then scores', () => {
    const agenda = readRepoFile('walkthroughs/what-is-a-gan.md')!.split('## How this walkthrough goes')[1];
    const at = ['pose-guided', 'semi-supervised', 'progressive', 'scored'].map((topic) => agenda.indexOf(topic));
    assert.ok(at.every((i) => i >= 0), `the agenda names every result: ${at.join(', ')}`);
    assert.deepEqual([...at].sort((a, b) => a - b), at);
  });

  it('gives every step a completion event of its own, so one action never checks off two steps', () => {
    assert.deepEqual(sharedCompletionProblems(welcome!.steps), []);
  });

  it('calls the conference NIPS for the years it had that name', () => {
    assert.deepEqual(neuripsProblems(pkg, readRepoFile), []);
  });

  it('keeps step descriptions short enough for the steps list (the text shown, not the links\' targets)', () => {
    for (const step of welcome!.steps) {
      const shown = step.description.replace(/\]\(command:[^)]*\)/g, ']').length;
      assert.ok(shown <= 320, `step "${step.id}" shows a ${shown}-character description: move the depth into its media`);
    }
  });

  it('has a button, existing media, a real command and a real completion event in every step, and well-formed themed SVGs', () => {
    assert.deepEqual(walkthroughProblems(pkg, readRepoFile), []);
  });

  it('checks each step the extension decides on its own key, set once the learner did that step\'s action', () => {
    for (const step of PROGRESS_STEPS) {
      assert.deepEqual(welcome!.steps.find((s) => s.id === step)?.completionEvents, [`onContext:${progressKey(step)}`], `step "${step}"`);
    }
  });

  it('opens panels without toSide:, which would hand the walkthrough\'s group to a panel when the walkthrough is narrow', () => {
    for (const step of welcome!.steps) assert.ok(!step.description.includes('command:toSide:'), `step "${step.id}"`);
  });

  it('opens every panel with {"from": "walkthrough"}, so it lands in the one group kept for the walkthrough\'s panels', () => {
    const panelLinks = welcome!.steps.flatMap((s) => commandLinks(s.description)).filter((l) => /^ganscope\.open(?!Run$|Walkthrough$)/.test(l.command));
    assert.ok(panelLinks.length >= 6, `${panelLinks.length} panel links`);
    for (const link of panelLinks) assert.deepEqual(link.args?.at(-1), { from: 'walkthrough' }, `${link.label}: ${link.command}`);
  });

  it('starts the semi-supervised and progressive runs by their preset names', () => {
    const presets = welcome!.steps.flatMap((s) => commandLinks(s.description)).filter((l) => l.command === 'ganscope.startTraining' && l.args).map((l) => l.args![0]);
    assert.deepEqual(presets, ['mnist-ssgan-100', 'mnist-progressive']);
  });

  it('gives no step a button that stops a run or installs something: each belongs to its step\'s content', () => {
    for (const step of welcome!.steps) {
      const [button] = commandLinks(step.description).slice(-1);
      assert.ok(!/^ganscope\.(stop|install)/i.test(button.command), `step "${step.id}" has button ${button.command}`);
    }
  });

  it('shows the semi-supervised and scoring steps\' results at once, from a recorded run that ships with GANscope', () => {
    for (const id of ['semi-supervised', 'scores']) {
      const links = commandLinks(welcome!.steps.find((s) => s.id === id)!.description).filter((l) => l.command === 'ganscope.openReferenceRun');
      assert.equal(links.length, 1, `step "${id}" links to one recorded run`);
      const name = links[0].args?.[0];
      assert.ok(isReferenceRun(name), `step "${id}" names recorded run ${JSON.stringify(name)}`);
      assert.ok(existsSync(join(referenceRunDir(root, name), 'run.json')), `${name} ships its run.json`);
    }
  });

  it('checks off the graph step and the architecture step on different actions: opening the graph, then clicking one of G\'s transposed convolutions', () => {
    const events = (id: string) => welcome!.steps.find((s) => s.id === id)!.completionEvents;
    assert.deepEqual(events('code'), ['onContext:ganscope.opened.graph']);
    assert.deepEqual(events('architecture'), ['onContext:ganscope.openedLayer =~ /^G\\.conv2dTranspose/']);
  });

  describe('"Break It, Then Fix It"', () => {
    const experiments = walkthroughs.find((w) => w.id === 'experiments');

    it('has a step for each experiment, in the catalogue\'s order', () => {
      assert.deepEqual(experiments?.steps.map((s) => s.id), EXPERIMENTS.map((e) => e.id));
    });

    it('runs each step\'s own experiment from its button', () => {
      for (const step of experiments!.steps) {
        const links = commandLinks(step.description).filter((l) => l.command === 'ganscope.startExperiment');
        assert.deepEqual(links.map((l) => l.args), [[step.id]], `step "${step.id}"`);
      }
    });

    it('checks each step when its own run produces its finding, and no other step', () => {
      for (const step of experiments!.steps) assert.deepEqual(step.completionEvents, [completionEvent(experimentById(step.id)!)], `step "${step.id}"`);
      assert.deepEqual(sharedCompletionProblems(experiments!.steps), []);
    });

    it('keeps step descriptions short enough for the steps list', () => {
      for (const step of experiments!.steps) assert.ok(step.description.length <= 320, `step "${step.id}" has a ${step.description.length}-character description`);
    });
  });

  describe('its checker', () => {
    const withStep = (change: (step: Step) => void) => {
      const copy = JSON.parse(JSON.stringify(pkg));
      change((copy.contributes.walkthroughs as Walkthrough[])[0].steps[0]);
      return walkthroughProblems(copy, readRepoFile);
    };

    it('reports a step whose button names a command that package.json does not contribute', () => {
      const problems = withStep((s) => (s.description = 'Text.\n[Go](command:ganscope.noSuchCommand)'));
      assert.ok(problems.some((p) => p.includes('"ganscope.noSuchCommand"')), problems.join('\n'));
    });

    it('reports a completion event on a context key the extension never sets', () => {
      const problems = withStep((s) => (s.completionEvents = ['onContext:ganscope.neverSet']));
      assert.ok(problems.some((p) => p.includes('"ganscope.neverSet"')), problems.join('\n'));
    });

    it('reports missing media and a preset the trainer does not have', () => {
      const problems = withStep((s) => {
        s.media = { markdown: 'walkthroughs/missing.md' };
        s.description = '[Go](command:ganscope.startTraining?%5B%22no-such-preset%22%5D)';
      });
      assert.ok(problems.some((p) => p.includes('walkthroughs/missing.md')), problems.join('\n'));
      assert.ok(problems.some((p) => p.includes('"no-such-preset"')), problems.join('\n'));
    });

    it('reports a landscape SVG, and text that would be under 12 px in the walkthrough\'s media column', () => {
      const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 560 400" font-size="14.5"><text>Big enough?</text><g font-size="20"><text>Yes</text></g></svg>';
      const problems = layoutProblems('x.svg', svg);
      assert.ok(problems.some((p) => p.includes('landscape')), problems.join('\n'));
      assert.ok(problems.some((p) => p.includes('"Big enough?" at 9.1 px')), problems.join('\n'));
      assert.ok(!problems.some((p) => p.includes('"Yes"')), problems.join('\n'));
    });

    it('reports a step that completes on the same action as an earlier one, a panel command and its context key alike', () => {
      const steps = [
        { id: 'a', completionEvents: ['onCommand:ganscope.openGraph'] },
        { id: 'b', completionEvents: ['onContext:ganscope.opened.graph'] },
      ] as Step[];
      const problems = sharedCompletionProblems(steps);
      assert.ok(problems.length === 1 && problems[0].includes('step "b"'), problems.join('\n'));
    });

    it('reports NeurIPS with a year before the conference took that name', () => {
      const copy = JSON.parse(JSON.stringify(pkg));
      copy.contributes.walkthroughs[0].steps[0].description = 'Goodfellow et al., NeurIPS 2014.';
      const problems = neuripsProblems(copy, readRepoFile);
      assert.ok(problems.some((p) => p.includes('"NeurIPS 2014"')), problems.join('\n'));
    });

    it('reports an SVG that hard-codes black, uses a style element or is not well-formed', () => {
      const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><style>text{}</style><rect fill="#000"/><g></svg>';
      const problems = svgProblems('x.svg', svg);
      assert.ok(problems.some((p) => p.includes('fill="#000"')), problems.join('\n'));
      assert.ok(problems.some((p) => p.includes('<style>')), problems.join('\n'));
      assert.ok(problems.some((p) => p.includes('not well-formed')), problems.join('\n'));
    });
  });
});
