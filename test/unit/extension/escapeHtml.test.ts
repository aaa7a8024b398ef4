import assert from 'node:assert/strict';
import { escapeHtml } from '../../../src/extension/escapeHtml';

describe('escapeHtml', () => {
  it('turns a run name that closes the title and opens a script into text', () => {
    assert.equal(escapeHtml('Metrics · </title><script>alert("x")</script>'), 'Metrics · &lt;/title&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it('escapes the ampersand first, so entities already in the name stay visible as typed', () => {
    assert.equal(escapeHtml("Tom & Jerry's &lt;run&gt;"), 'Tom &amp; Jerry&#39;s &amp;lt;run&amp;gt;');
  });
});
