import { describe, expect, it } from 'vitest';
import type { SlackMessage, SlackView } from '../../types';
import {
  type RenderContext,
  renderAttachments,
  renderBlocks,
  renderMessage,
  renderModal,
  renderMrkdwn,
  renderPlain,
  safeImageUrl,
  safeUrl,
} from '.';

const ctx: RenderContext = {
  users: {
    U_ALICE: { name: 'alice', realName: 'Alice Adams' },
    U_BOB: { name: 'bob', realName: 'Bob Brown' },
    U_PANTHEON: { name: 'pantheon', realName: 'Pantheon', isBot: true },
    U_EVIL: { name: '<img src=x onerror=alert(1)>', realName: '"><script>alert(1)</script>' },
  },
  channels: { C_OPS: 'ops', C_EVIL: '<b>x</b>' },
  usergroups: { S_APPROVERS: 'approvers' },
  me: 'U_ALICE',
};

/** No element the page did not mean to create: scripts, handlers, javascript: URLs. */
function expectInert(html: string): void {
  const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
  for (const tag of tags) {
    expect(tag).not.toMatch(/^<(script|iframe|object|embed|style|link|meta|base|form)\b/i);
    expect(tag).not.toMatch(/\son\w+\s*=/i);
    expect(tag).not.toMatch(/(href|src)="\s*(javascript|data:text|vbscript)/i);
  }
  // Attribute values cannot break out: every quote inside a tag is balanced.
  for (const tag of tags) expect((tag.match(/"/g) ?? []).length % 2).toBe(0);
}

describe('renderMrkdwn', () => {
  it('formats bold, italic, strike, code and code blocks', () => {
    expect(renderMrkdwn('*bold* _italic_ ~gone~ `x = 1`')).toBe(
      '<b>bold</b> <i>italic</i> <s>gone</s> <code class="sk-code">x = 1</code>',
    );
    expect(renderMrkdwn('```\nconst a = b < c;\n```')).toBe('<pre class="sk-pre">const a = b &lt; c;</pre>');
    expect(renderMrkdwn('*_both_*')).toBe('<b><i>both</i></b>');
  });

  it('only treats markers at word boundaries as formatting', () => {
    expect(renderMrkdwn('2*3*4 and snake_case_name and a~b~c')).toBe('2*3*4 and snake_case_name and a~b~c');
    expect(renderMrkdwn('* not bold *')).toBe('* not bold *');
    expect(renderMrkdwn('(*yes*)')).toBe('(<b>yes</b>)');
  });

  it('does not format inside code', () => {
    expect(renderMrkdwn('`*not bold* <@U_BOB>`')).toBe(
      '<code class="sk-code">*not bold* &lt;@U_BOB&gt;</code>',
    );
  });

  it('renders links, labelled links and mailto', () => {
    expect(renderMrkdwn('<https://example.com/a?x=1&amp;y=2|the docs>')).toBe(
      '<a href="https://example.com/a?x=1&amp;y=2" target="_blank" rel="noopener noreferrer">the docs</a>',
    );
    expect(renderMrkdwn('<https://example.com>')).toContain('>https://example.com</a>');
    expect(renderMrkdwn('<mailto:bob@example.com|Bob>')).toContain('href="mailto:bob@example.com"');
    expect(renderMrkdwn('*<https://a.example|bold link>*')).toBe(
      '<b><a href="https://a.example" target="_blank" rel="noopener noreferrer">bold link</a></b>',
    );
  });

  it('renders user, channel, group and broadcast mentions, highlighting the viewer', () => {
    expect(renderMrkdwn('<@U_BOB>', ctx)).toBe('<span class="sk-mention" data-user="U_BOB">@bob</span>');
    expect(renderMrkdwn('<@U_ALICE>', ctx)).toContain('sk-mention-me');
    expect(renderMrkdwn('<@U_NOBODY|someone>', ctx)).toContain('@someone');
    expect(renderMrkdwn('<#C_OPS>', ctx)).toBe(
      '<span class="sk-channel-link" data-channel="C_OPS">#ops</span>',
    );
    expect(renderMrkdwn('<!here> <!channel>', ctx)).toBe(
      '<span class="sk-mention sk-mention-broadcast">@here</span> <span class="sk-mention sk-mention-broadcast">@channel</span>',
    );
    expect(renderMrkdwn('<!subteam^S_APPROVERS>', ctx)).toContain('@approvers');
  });

  it('renders dates with their format, and emoji shortcodes', () => {
    const html = renderMrkdwn('<!date^0^{date_num}|fallback>', { ...ctx, formatDate: (s, f) => `${f}@${s}` });
    expect(html).toBe('<span class="sk-date">{date_num}@0</span>');
    expect(renderMrkdwn(':white_check_mark: :+1: :wave::skin-tone-3: :not_an_emoji:')).toBe(
      '<span class="sk-emoji" title=":white_check_mark:">✅</span> <span class="sk-emoji" title=":+1:">👍</span> <span class="sk-emoji" title=":wave::skin-tone-3:">👋</span> :not_an_emoji:',
    );
    expect(renderMrkdwn('at 10:30:45')).toBe('at 10:30:45');
  });

  it('turns > lines into one quote and newlines into breaks', () => {
    expect(renderMrkdwn('&gt; first\n&gt; second\nafter')).toBe(
      '<blockquote class="sk-quote">first<br>second</blockquote>after',
    );
    expect(renderMrkdwn('a\nb')).toBe('a<br>b');
  });

  it('shows Slack-escaped text literally and never interprets HTML', () => {
    expect(renderMrkdwn('a &lt;b&gt; &amp; c')).toBe('a &lt;b&gt; &amp; c');
    expect(renderMrkdwn('&lt;script&gt;alert(1)&lt;/script&gt;')).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt;',
    );
    expect(renderMrkdwn('"quotes" & \'apostrophes\'')).toBe('&quot;quotes&quot; &amp; &#39;apostrophes&#39;');
  });

  it('is inert against hostile text, links and names', () => {
    const hostile = [
      '<script>alert(1)</script>',
      '<javascript:alert(1)|click me>',
      '<JaVa\tScRiPt:alert(1)|tab>',
      '<data:text/html,<script>alert(1)</script>|data>',
      '<https://ok.example/"onmouseover="alert(1)|quote break>',
      '<https://ok.example|<img src=x onerror=alert(1)>>',
      '<@U_EVIL> <#C_EVIL> <#C_UNKNOWN|<svg onload=alert(1)>>',
      '`</code><script>alert(1)</script>`',
      '```</pre><img src=x onerror=alert(1)>```',
      '*<img src=x onerror=alert(1)>*',
      ':"onmouseover=alert(1):',
      '\u0000 0 \u0000',
    ];
    for (const text of hostile) expectInert(renderMrkdwn(text, ctx));
    expect(renderMrkdwn('<javascript:alert(1)|click me>')).toBe('click me');
    expect(renderMrkdwn('<https://ok.example/"onmouseover="alert(1)|x>')).toContain(
      'href="https://ok.example/&quot;onmouseover=&quot;alert(1)"',
    );
    expect(renderMrkdwn('<@U_EVIL>', ctx)).toContain('@&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('URL allow-lists', () => {
  it('allows http(s), mailto and tel links and raster data: images only', () => {
    expect(safeUrl('https://x.example')).toBe('https://x.example');
    expect(safeUrl(' javascript:alert(1)')).toBeUndefined();
    expect(safeUrl('java\nscript:alert(1)')).toBeUndefined();
    expect(safeUrl('data:text/html,hi')).toBeUndefined();
    expect(safeImageUrl('data:image/png;base64,iVBORw0KGgo=')).toBeDefined();
    expect(safeImageUrl('data:image/svg+xml;base64,PHN2Zz4=')).toBeUndefined();
    expect(safeImageUrl('javascript:alert(1)')).toBeUndefined();
  });
});

describe('renderPlain', () => {
  it('escapes and converts emoji unless told not to', () => {
    expect(renderPlain('<b>:tada:</b>')).toBe(
      '&lt;b&gt;<span class="sk-emoji" title=":tada:">🎉</span>&lt;/b&gt;',
    );
    expect(renderPlain(':tada: *x*', false)).toBe(':tada: *x*');
  });
});

describe('renderBlocks', () => {
  const blocks = [
    { type: 'header', text: { type: 'plain_text', text: 'New <request>' } },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: '*Hi* <@U_BOB>' },
      fields: [
        { type: 'mrkdwn', text: '*Amount*\n$1,200' },
        { type: 'plain_text', text: '*literal*' },
      ],
      accessory: {
        type: 'button',
        action_id: 'details',
        text: { type: 'plain_text', text: 'Details' },
        value: 'r"1',
      },
    },
    {
      type: 'context',
      elements: [
        { type: 'image', image_url: 'https://img.example/a.png', alt_text: 'logo' },
        { type: 'mrkdwn', text: '_small_' },
      ],
    },
    { type: 'divider' },
    {
      type: 'actions',
      block_id: 'decision',
      elements: [
        {
          type: 'button',
          action_id: 'approve',
          style: 'primary',
          text: { type: 'plain_text', text: 'Approve' },
          value: 'yes',
        },
        {
          type: 'button',
          action_id: 'reject',
          style: 'danger',
          text: { type: 'plain_text', text: 'Reject' },
          confirm: { title: { type: 'plain_text', text: 'Sure?' } },
        },
        {
          type: 'button',
          action_id: 'docs',
          text: { type: 'plain_text', text: 'Docs' },
          url: 'javascript:alert(1)',
        },
        {
          type: 'static_select',
          action_id: 'pick',
          options: [{ text: { type: 'plain_text', text: 'One' }, value: '1' }],
        },
      ],
    },
    {
      type: 'image',
      image_url: 'https://img.example/chart.png',
      alt_text: 'chart',
      title: { type: 'plain_text', text: 'Chart' },
    },
    { type: 'image', image_url: 'javascript:alert(1)', alt_text: '<b>bad</b>' },
    { type: 'mystery' },
  ];
  const html = renderBlocks(blocks, ctx);

  it('lays out each block type', () => {
    expect(html).toContain('<div class="bk-block bk-header" data-block="block_0">New &lt;request&gt;</div>');
    expect(html).toContain(
      '<div class="bk-section-text"><b>Hi</b> <span class="sk-mention" data-user="U_BOB">@bob</span></div>',
    );
    expect(html).toContain('<div class="bk-field"><b>Amount</b><br>$1,200</div>');
    expect(html).toContain('<div class="bk-field">*literal*</div>');
    expect(html).toContain('<img class="bk-context-image" src="https://img.example/a.png" alt="logo"');
    expect(html).toContain('<hr class="bk-block bk-divider" data-block="block_3">');
    expect(html).toContain('<div class="bk-image-title">Chart</div>');
    expect(html).toContain('Unsupported block: mystery');
  });

  it('wires buttons for clicks: ids (with Slack’s block_<i> fallback), value, style and confirm', () => {
    expect(html).toContain(
      'class="bk-button" data-kind="button" data-action-id="details" data-block-id="block_1" data-value="r&quot;1"',
    );
    expect(html).toMatch(
      /class="bk-button bk-primary"[^>]*data-action-id="approve" data-block-id="decision" data-value="yes"/,
    );
    expect(html).toMatch(
      /class="bk-button bk-danger"[^>]*data-action-id="reject"[^>]*data-confirm="\{&quot;title&quot;/,
    );
    expect(html).toMatch(
      /<select class="bk-select" data-kind="select" data-action-id="pick" data-block-id="decision">/,
    );
  });

  it('drops unsafe URLs', () => {
    expect(html).not.toContain('javascript:');
    expect(html).toContain('<div class="bk-image bk-image-missing">&lt;b&gt;bad&lt;/b&gt;</div>');
    expectInert(html);
  });

  it('renders inputs with initial values, optional markers, hints and errors', () => {
    const inputs = renderBlocks(
      [
        {
          type: 'input',
          block_id: 'reason',
          label: { type: 'plain_text', text: 'Reason' },
          element: {
            type: 'plain_text_input',
            action_id: 'r',
            multiline: true,
            initial_value: '</textarea><script>x</script>',
          },
        },
        {
          type: 'input',
          block_id: 'amount',
          optional: true,
          label: { type: 'plain_text', text: 'Amount' },
          element: { type: 'number_input', action_id: 'a', is_decimal_allowed: false, initial_value: '5' },
          hint: { type: 'plain_text', text: 'USD' },
        },
        {
          type: 'input',
          block_id: 'prio',
          label: { type: 'plain_text', text: 'Priority' },
          element: {
            type: 'static_select',
            action_id: 'p',
            initial_option: { text: { type: 'plain_text', text: 'High' }, value: 'high' },
            options: [
              { text: { type: 'plain_text', text: 'Low' }, value: 'low' },
              { text: { type: 'plain_text', text: 'High' }, value: 'high' },
            ],
          },
        },
        {
          type: 'input',
          block_id: 'flags',
          label: { type: 'plain_text', text: 'Flags' },
          element: {
            type: 'checkboxes',
            action_id: 'f',
            options: [{ text: { type: 'plain_text', text: 'A' }, value: 'a' }],
          },
        },
        {
          type: 'input',
          block_id: 'when',
          label: { type: 'plain_text', text: 'When' },
          element: { type: 'datepicker', action_id: 'd', initial_date: '2026-03-01' },
        },
      ],
      ctx,
      { errors: { amount: 'Too <much>' }, surface: 'modal' },
    );
    expect(inputs).toContain(
      '<textarea class="bk-input" rows="4" data-action-id="r" data-block-id="reason" data-input="plain_text_input">&lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt;</textarea>',
    );
    expect(inputs).toContain(
      'data-optional="true"><label class="bk-label">Amount <span class="bk-optional">(optional)</span></label>',
    );
    expect(inputs).toMatch(
      /<input type="number" class="bk-input bk-invalid" data-action-id="a" data-block-id="amount" data-input="number_input" aria-invalid="true" value="5" step="1">/,
    );
    expect(inputs).toContain(
      '<div class="bk-error" role="alert">Too &lt;much&gt;</div><div class="bk-hint">USD</div>',
    );
    expect(inputs).toContain('<option value="high" selected>High</option>');
    expect(inputs).toContain('<input type="checkbox" name="flags/f" value="a"');
    expect(inputs).toContain(
      '<input type="date" class="bk-input" data-action-id="d" data-block-id="when" data-input="datepicker" value="2026-03-01">',
    );
    expectInert(inputs);
  });

  it('renders rich_text blocks', () => {
    const rich = renderBlocks(
      [
        {
          type: 'rich_text',
          elements: [
            {
              type: 'rich_text_section',
              elements: [
                { type: 'text', text: 'Hi ', style: { bold: true } },
                { type: 'user', user_id: 'U_BOB' },
                { type: 'emoji', name: 'tada' },
              ],
            },
            {
              type: 'rich_text_list',
              style: 'ordered',
              elements: [
                {
                  type: 'rich_text_section',
                  elements: [{ type: 'link', url: 'https://x.example', text: 'x' }],
                },
              ],
            },
          ],
        },
      ],
      ctx,
    );
    expect(rich).toContain(
      '<b>Hi </b><span class="sk-mention" data-user="U_BOB">@bob</span><span class="sk-emoji"',
    );
    expect(rich).toContain('<ol class="bk-rich-list"><li><a href="https://x.example"');
  });

  it('renders legacy attachments with a sanitised colour', () => {
    const html = renderAttachments([
      { color: 'danger', title: 'T', text: '*x*', fields: [{ title: 'F', value: 'v', short: true }] },
      { color: 'red;background:url(javascript:x)', text: 'y' },
    ]);
    expect(html).toContain('style="--att-color:#e01e5a"');
    expect(html).toContain('<div class="att-text"><b>x</b></div>');
    expect(html).toContain('style="--att-color:#dddddd"');
  });
});

describe('renderMessage', () => {
  const base: SlackMessage = {
    type: 'message',
    ts: '1700000000.000100',
    user: 'U_BOB',
    text: 'hello *there*',
  };

  it('shows the author, time, text, reactions (mine highlighted) and the thread summary', () => {
    const html = renderMessage(
      {
        ...base,
        thread_ts: base.ts,
        reply_count: 2,
        reply_users: ['U_ALICE'],
        latest_reply: '1700000100.000100',
        reactions: [
          { name: '+1', users: ['U_ALICE', 'U_BOB'], count: 2 },
          { name: 'custom_thing', users: ['U_BOB'], count: 1 },
        ],
      },
      ctx,
      { channel: 'C_OPS' },
    );
    expect(html).toContain('<span class="msg-author" data-user="U_BOB">Bob Brown</span>');
    expect(html).toContain('<div class="msg-text">hello <b>there</b></div>');
    expect(html).toContain('class="reaction reaction-mine" data-reaction="+1"');
    expect(html).toContain('<span class="reaction-emoji">👍</span><span class="reaction-count">2</span>');
    expect(html).toContain('<span class="reaction-emoji">:custom_thing:</span>');
    expect(html).toContain('<span class="thread-count">2 replies</span>');
    expect(html).toContain('data-ts="1700000000.000100" data-channel="C_OPS"');
  });

  it('prefers blocks to text, marks the app and ephemerals', () => {
    const html = renderMessage(
      {
        ...base,
        user: 'U_PANTHEON',
        bot_id: 'B1',
        text: 'fallback',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'from blocks' } }],
      },
      ctx,
      { channel: 'C_OPS', ephemeral: true },
    );
    expect(html).toContain('from blocks');
    expect(html).not.toContain('fallback');
    expect(html).toContain('<span class="app-badge">APP</span>');
    expect(html).toContain('Only visible to you');
    expect(html).toContain('avatar-bot');
  });

  it('is inert whatever the message holds', () => {
    const html = renderMessage(
      {
        ...base,
        user: 'U_EVIL',
        text: '<script>x</script>',
        files: [
          {
            url_private: 'javascript:alert(1)',
            mimetype: 'text/plain',
            name: '<img src=x onerror=alert(1)>',
            title: '',
            filetype: 'txt',
            pretty_type: 'Text',
          } as never,
        ],
        reactions: [{ name: '"><script>', users: ['U_EVIL'], count: 1 }],
      },
      ctx,
      { channel: '"><script>' },
    );
    expectInert(html);
  });
});

describe('renderModal', () => {
  const view = {
    id: 'V1',
    title: { type: 'plain_text', text: 'Request <details>' },
    submit: { type: 'plain_text', text: 'Save' },
    close: null,
    hash: 'h',
    blocks: [
      {
        type: 'input',
        block_id: 'b',
        label: { type: 'plain_text', text: 'L' },
        element: { type: 'plain_text_input', action_id: 'a' },
      },
    ],
  } as unknown as SlackView;

  it('shows the title, the inputs with errors, and Cancel / Submit', () => {
    const html = renderModal(view, ctx, { errors: { b: 'Required' } });
    expect(html).toContain('<form class="modal" data-view-id="V1" novalidate>');
    expect(html).toContain('<h2 class="modal-title">Request &lt;details&gt;</h2>');
    expect(html).toContain('<div class="bk-error" role="alert">Required</div>');
    expect(html).toContain('data-modal-close>Cancel</button>');
    expect(html).toContain('data-modal-submit>Save</button>');
    expect(html).not.toContain('data-modal-back');
    expect(renderModal(view, ctx, { canGoBack: true })).toContain('data-modal-back');
  });

  it('offers only Close when there is nothing to submit', () => {
    const html = renderModal(
      { ...view, submit: null, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }] },
      ctx,
    );
    expect(html).toContain('data-modal-close>Close</button>');
    expect(html).not.toContain('data-modal-submit');
  });
});
