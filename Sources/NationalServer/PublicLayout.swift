import SafeHTML

/// The frame of every public page (search, place, not found): French, self-contained (no framework, no
/// external resources), one style sheet.
enum PublicLayout {
    /// A whole page: `title` in the tab, `main` as its content, `script` at the end (pages work without it).
    /// `skipTo` adds quick-access links (RGAA 12.7) after "Aller au contenu": an anchor and its label.
    static func page(title: String, main: HTML, script: HTML? = nil, skipTo: [(anchor: String, label: String)] = []) -> HTML {
        let skip = ([(anchor: "contenu", label: "Aller au contenu")] + skipTo).html { link -> HTML in
            "<li><a href=\"#\(link.anchor)\">\(link.label)</a></li>"
        }
        return """
        <!doctype html>
        <html lang="fr">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title)</title>
        <style>\(style)</style>
        </head>
        <body>
        <nav class="evitement" aria-label="Accès rapide"><ul>\(skip)</ul></nav>
        <header>
          <p class="titre">Trouver un lieu d'accueil pour s'orienter</p>
          <p>Service public régional de l'orientation : information et conseil gratuits sur les métiers, les formations et l'emploi.</p>
        </header>
        <main id="contenu" tabindex="-1">
        \(main)
        </main>
        <footer>
          Résultats classés par distance uniquement, sans préférence pour un réseau (neutralité du service public).
          Sources : lieux déclarés par les Régions ; INSEE, La Poste, IGN — Licence Ouverte 2.0.
        </footer>
        \(script)
        </body>
        </html>
        """
    }

    static let style: HTML = """
      :root { --ink: #1b1b1b; --muted: #555; --accent: #00419e; --line: #ccc; --bg: #fff; --soft: #f2f5fa; }
      * { box-sizing: border-box; }
      body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
      header { background: var(--accent); color: #fff; padding: 1rem; }
      header .titre { margin: 0; font-size: 1.35rem; font-weight: 700; }
      header p { margin: .25rem 0 0; }
      main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
      main h1 { font-size: 1.5rem; margin: .5rem 0 1rem; }
      a { color: var(--accent); }
      form { background: var(--soft); padding: 1rem; border-radius: .5rem; }
      .row { display: flex; flex-wrap: wrap; gap: .75rem; align-items: flex-end; }
      .field { display: flex; flex-direction: column; flex: 1 1 12rem; min-width: 0; }
      .field.wide { flex: 3 1 20rem; }
      label { font-weight: 600; margin-bottom: .2rem; }
      input[type=text], input[type=datetime-local], select { font: inherit; padding: .5rem; border: 1px solid #767676; border-radius: .3rem; background: #fff; max-width: 100%; }
      [aria-invalid=true] { border: 2px solid #b00020; }
      button { font: inherit; padding: .55rem 1rem; border-radius: .3rem; border: 2px solid var(--accent); cursor: pointer; min-height: 44px; }
      button.primary { background: var(--accent); color: #fff; }
      button.secondary { background: #fff; color: var(--accent); }
      /* Dark on the page's white and pale blue, with a yellow halo that shows on the blue header and buttons. */
      :focus-visible { outline: 3px solid #1b1b1b; outline-offset: 2px; box-shadow: 0 0 0 5px #ffbf47; }
      /* A date field's day, month, year… are focused inside it: the field shows the focus. */
      input[type=datetime-local]:focus-within { outline: 3px solid #1b1b1b; outline-offset: 2px; box-shadow: 0 0 0 5px #ffbf47; }
      main:focus-visible, #zone:focus-visible { outline: none; box-shadow: none; }
      /* Quick-access links: off screen until reached with Tab. */
      .evitement ul { list-style: none; margin: 0; padding: 0; }
      .evitement a { position: absolute; left: -10000px; top: .5rem; background: #fff; color: var(--accent); padding: .5rem 1rem;
                     font-weight: 700; z-index: 10; }
      .evitement a:focus { left: .5rem; }
      /* A fieldset is as wide as its widest option label unless told otherwise: too wide for a phone. */
      fieldset { border: 1px solid var(--line); border-radius: .3rem; margin: .75rem 0 0; padding: .5rem .75rem; min-width: 0; }
      legend { font-weight: 600; }
      .checks { display: flex; gap: 1.25rem; flex-wrap: wrap; }
      #status { margin: 1rem 0; color: var(--muted); min-height: 1.5rem; }
      #status.error { color: #b00020; font-weight: 600; }
      .erreurs { color: #b00020; }
      ol#results { list-style: none; padding: 0; margin: 0; }
      ol#results > li { border: 1px solid var(--line); border-radius: .5rem; padding: .75rem 1rem; margin-bottom: .75rem; }
      .result h2 { font-size: 1.1rem; margin: 0 0 .25rem; }
      .distance { font-weight: 700; color: var(--accent); }
      .meta { color: var(--muted); font-size: .95rem; }
      .tags { display: flex; flex-wrap: wrap; gap: .35rem; margin: .4rem 0 0; padding: 0; list-style: none; }
      .tags li { background: var(--soft); border-radius: 1rem; padding: 0 .6rem; font-size: .85rem; }
      .open { color: #006b2d; font-weight: 600; }
      .num { display: inline-block; min-width: 1.6rem; height: 1.6rem; line-height: 1.6rem; border-radius: .8rem; margin-right: .4rem;
             background: var(--accent); color: #fff; text-align: center; font-size: .9rem; vertical-align: .1rem; }
      .resultats { display: grid; gap: 1rem; grid-template-columns: minmax(0, 1fr); }
      @media (min-width: 52rem) {
        .resultats.avec-cote { grid-template-columns: minmax(0, 1fr) 22rem; align-items: start; }
        .cote { position: sticky; top: 1rem; }
      }
      .canaux { border: 2px solid var(--accent); border-radius: .5rem; padding: .5rem 1rem; margin: 0 0 1rem; }
      .canaux h2 { font-size: 1.05rem; margin: .25rem 0 .5rem; }
      .canaux ul { padding-left: 1.1rem; margin: 0; }
      .canaux li { margin-bottom: .5rem; }
      .plus { margin: 1rem 0; }
      #carte { margin: 0; }
      #carte svg { display: block; width: 100%; height: auto; border: 1px solid var(--line); border-radius: .5rem; }
      #carte figcaption { color: var(--muted); font-size: .85rem; margin-top: .35rem; }
      .fiche section { border-top: 1px solid var(--line); padding: .5rem 0; }
      .fiche h2 { font-size: 1.15rem; margin: .5rem 0; }
      .fiche dl { display: grid; grid-template-columns: minmax(8rem, max-content) minmax(0, 1fr); gap: .25rem 1rem; margin: 0; }
      .fiche dt { font-weight: 600; }
      .fiche dd { margin: 0; overflow-wrap: anywhere; }
      footer { max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: var(--muted); font-size: .85rem; }
      .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    """
}
