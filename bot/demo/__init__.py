"""`earshot demo`: seven weeks at a small company (feedback, then the loop closed), played against the bundled Slack stand-in.

The real bot (the same code `earshot serve` runs) listens on loopback; people in a fake
workspace (bot.fakeslack) capture customer remarks by every route with signed, real-shaped
deliveries; the scheduler posts each week's digest. Modules: `story` (the script, pure data),
`runner` (plays it), `render` (Block Kit as terminal text), `output` (the files), `control`
(the `--keep` door that `earshot demo send` talks to), `cli` (the commands).
"""
