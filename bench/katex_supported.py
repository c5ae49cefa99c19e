r"""KaTeX's documented command list ("Supported Functions"), as data.

Facts taken from KaTeX's docs/supported.md: each group is a list of formulas,
one per documented command or example. Plain strings of commands separated by
spaces are split into one formula per command. `POLICY_REFUSED` lists the
commands this site refuses on purpose (they emit raw HTML, docs/math.md).
"""


def _group(commands, *formulas):
    """Return one formula per command in the string, then the formulas given."""
    return [*commands.split(), *formulas]


GROUPS = {
    "Accents": [
        "a'", "a''", r"a^{\prime}", r"\acute{a}", r"\bar{y}", r"\breve{a}", r"\check{a}",
        r"\dot{a}", r"\ddot{a}", r"\grave{a}", r"\hat{\theta}", r"\widehat{ac}", r"\tilde{a}",
        r"\widetilde{ac}", r"\utilde{AB}", r"\vec{F}", r"\overleftarrow{AB}",
        r"\underleftarrow{AB}", r"\overleftharpoon{ac}", r"\overleftrightarrow{AB}",
        r"\underleftrightarrow{AB}", r"\overline{AB}", r"\underline{AB}", r"\widecheck{ac}",
        r"\mathring{g}", r"\overgroup{AB}", r"\undergroup{AB}", r"\Overrightarrow{AB}",
        r"\overrightarrow{AB}", r"\underrightarrow{AB}", r"\overrightharpoon{ac}",
        r"\overbrace{AB}", r"\underbrace{AB}", r"\overlinesegment{AB}",
        r"\underlinesegment{AB}", r"\underbar{X}", r"\dddot{a}", r"\ddddot{a}",
    ],
    "Accents in text": [
        r"\text{\'{a}}", r"\text{\~{a}}", r"\text{\.{a}}", r"\text{\H{a}}", r"\text{\`{a}}",
        r"\text{\={a}}", r'\text{\"{a}}', r"\text{\v{a}}", r"\text{\^{a}}", r"\text{\u{a}}",
        r"\text{\r{a}}",
    ],
    "Delimiters": _group(
        r"( ) \lparen \rparen ⌈ ⌉ \lceil \rceil \uparrow [ ] \lbrack \rbrack ⌊ ⌋ \lfloor "
        r"\rfloor \downarrow \{ \} \lbrace \rbrace ⎰ ⎱ \lmoustache \rmoustache \updownarrow "
        r"⟨ ⟩ \langle \rangle ⟮ ⟯ \lgroup \rgroup \Uparrow | \vert ┌ ┐ \ulcorner \urcorner "
        r"\Downarrow \| \Vert └ ┘ \llcorner \lrcorner \Updownarrow \lvert \rvert \lVert \rVert "
        r"\backslash \lang \rang \lt \gt ⟦ ⟧ \llbracket \rrbracket \lBrace \rBrace",
    r"\left.x\right|"),
    "Delimiter sizing": [
        r"\left(\LARGE{AB}\right)", r"( \big( \Big( \bigg( \Bigg(",
        r"\bigl( \bigr) \bigm| \Bigl( \Bigr) \Bigm| \biggl( \biggr) \biggm|",
        r"\Biggl( \Biggr) \Biggm|",
        r"\left( x \middle| y \right)",
    ],
    "Environments": [
        r"\begin{matrix} a & b \\ c & d \end{matrix}",
        r"\begin{array}{cc}a & b\\c & d\end{array}",
        r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}",
        r"\begin{bmatrix} a & b \\ c & d \end{bmatrix}",
        r"\begin{vmatrix} a & b \\ c & d \end{vmatrix}",
        r"\begin{Vmatrix} a & b \\ c & d \end{Vmatrix}",
        r"\begin{Bmatrix} a & b \\ c & d \end{Bmatrix}",
        r"\def\arraystretch{1.5}\begin{array}{c:c:c} a & b & c \\ \hline d & e & f \\ "
        r"\hdashline g & h & i \end{array}",
        r"\begin{equation}\begin{split}a &=b+c\\&=e+f\end{split}\end{equation}",
        r"\begin{equation*}\begin{split}a &=b+c\\&=e+f\end{split}\end{equation*}",
        r"\begin{align} a&=b+c \\ d+e&=f \end{align}",
        r"\begin{align*} a&=b+c \\ d+e&=f \end{align*}",
        r"\begin{alignat}{2}10&x+&3&y=2\\3&x+&13&y=4\end{alignat}",
        r"\begin{aligned} a&=b+c \\ d+e&=f \end{aligned}",
        r"\begin{alignedat}{2}10&x+ &3&y = 2 \\ 3&x+&13&y = 4\end{alignedat}",
        r"\begin{gather} a=b \\ e=b+c \end{gather}",
        r"\begin{gathered} a=b \\ e=b+c \end{gathered}",
        r"x = \begin{cases} a &\text{if } b \\ c &\text{if } d \end{cases}",
        r"\begin{rcases} a &\text{if } b \\ c &\text{if } d \end{rcases}⇒…",
        r"\begin{smallmatrix} a & b \\ c & d \end{smallmatrix}",
        r"\begin{darray}{cc} a & b \\ c & d \end{darray}",
        r"\begin{dcases} a &\text{if } b \\ c &\text{if } d \end{dcases}",
        r"\begin{drcases} a &\text{if } b \\ c &\text{if } d \end{drcases}",
        r"\begin{matrix*}[r] 10 & 1 \\ 2 & 300 \end{matrix*}",
        r"\begin{pmatrix*}[l] a & b \end{pmatrix*}",
        r"\begin{bmatrix*}[c] a & b \end{bmatrix*}",
        r"\begin{Bmatrix*}[r] a & b \end{Bmatrix*}",
        r"\begin{vmatrix*}[r] a & b \end{vmatrix*}",
        r"\begin{Vmatrix*}[r] a & b \end{Vmatrix*}",
        r"\begin{matrix} a \cr b \end{matrix}",
        r"\begin{matrix} a \\[2pt] b \cr[3pt] c \end{matrix}",
        r"\begin{array}{|c||c|} a & b \end{array}",
        r"\begin{CD} A @>a>> B \\ @VbVV @AAcA \\ C @= D \end{CD}",
        r"\begin{multline} a+b \\ c+d \\ e \end{multline}",
        r"\begin{subarray}{l} i<m \\ j<n \end{subarray}",
    ],
    "Letters": _group(
        r"\Alpha \Beta \Gamma \Delta \Epsilon \Zeta \Eta \Theta \Iota \Kappa \Lambda \Mu \Nu "
        r"\Xi \Omicron \Pi \Rho \Sigma \Tau \Upsilon \Phi \Chi \Psi \Omega \varGamma \varDelta "
        r"\varTheta \varLambda \varXi \varPi \varSigma \varUpsilon \varPhi \varPsi \varOmega "
        r"\alpha \beta \gamma \delta \epsilon \zeta \eta \theta \iota \kappa \lambda \mu \nu "
        r"\xi \omicron \pi \rho \sigma \tau \upsilon \phi \chi \psi \omega \varepsilon "
        r"\varkappa \vartheta \thetasym \varpi \varrho \varsigma \varphi \digamma \imath "
        r"\jmath \aleph \alef \alefsym \beth \gimel \daleth \eth \nabla \partial \Game \Finv "
        r"\cnums \Complex \ell \hbar \hslash \Im \image \Bbbk \N \natnums \R \Re \real \reals "
        r"\Reals \wp \weierp \Z",
    r"\text{\OE}", r"\text{\o}", r"\text{\O}", r"\text{\ss}", r"\text{\aa}", r"\text{\AA}",
        r"\text{\ae}", r"\text{\AE}", r"\text{\oe}", r"\text{\i}", r"\text{\j}",
        "Α Β Γ α β γ ϵ ϑ ϖ ϱ ς φ ϝ ∂ ∇ ℑ Ⅎ ℵ ℶ ℷ ℸ ⅁ ℏ ð",
        r"\text{ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖÙÚÛÜÝÞßàáâãäåçèéêëìíîïðñòóôöùúûüýþÿ}",
        r"\text{𝐀-𝐙 𝐚-𝐳 𝟎-𝟗}", r"\text{𝔸-}ℤ\ 𝕜", r"\text{𝐴-𝑍 𝑎-𝑧}", r"\text{𝖠-𝖹 𝖺-𝗓 𝟢-𝟫}",
        r"\text{𝑨-𝒁 𝒂-𝒛}", r"\text{𝗔-𝗭 𝗮-𝘇 𝟬-𝟵}", r"\text{𝒜-𝒵}", r"\text{𝘈-𝘡 𝘢-𝘻}",
        r"\text{𝔄-}ℨ\text{ 𝔞-𝔷}", r"\text{𝙰-𝚉 𝚊-𝚣 𝟶-𝟿}",
        r"\char`a \char'141 \char97 \char\"263a".replace("\\\"", '"'),
        r"\text{中文 and 日本語 한국어}",),
    "Annotation": [
        r"\cancel{5}", r"\bcancel{5}", r"\xcancel{ABC}", r"\sout{abc}",
        r"\overbrace{a+b+c}^{\text{note}}", r"\underbrace{a+b+c}_{\text{note}}", r"\not =",
        r"\boxed{\pi=\frac c d}", r"a_{\angl n}", r"a_\angln", r"\phase{-78^\circ}",
        r"\tag{hi} x+y^{2x}", r"\tag*{hi} x+y^{2x}",
    ],
    "Line breaks": [r"a \\ b", r"a \newline b", r"a = b \nobreak + c \allowbreak + d"],
    "Vertical layout": [
        "x_n", "e^x", "_u^o", r"\stackrel{!}{=}", r"\overset{!}{=}", r"\underset{!}{=}",
        r"a \atop b", r"a\raisebox{0.25em}{$b$}c",
        r"a+\left(\vcenter{\hbox{$\frac{\frac a b}c$}}\right)",
        r"\sum_{\substack{0<i<m\\0<j<n}}",
    ],
    "Overlap and spacing": [
        r"{=}\mathllap{/\,}", r"\mathrlap{\,/}{=}", r"\left(x^{\smash{2}}\right)",
        r"\sqrt{\smash[b]{y}}", r"\sum_{\mathclap{1\le i\le j\le n}} x_{ij}",
        r"\text{\llap{a}b \rlap{c}d \clap{e}f}",
    ],
    "Spacing": [
        r"a\,b", r"a\thinspace b", r"a\>b", r"a\:b", r"a\medspace b", r"a\;b",
        r"a\thickspace b", r"a\enspace b", r"a\quad b", r"a\qquad b", "a~b", r"a\ b",
        r"a\nobreakspace b", r"a\space b", r"a\kern{1em}b", r"a\mkern{18mu}b",
        r"a\mskip{18mu}b", r"a\hskip{1em}b", r"a\hspace{1em}b", r"a\hspace*{1em}b",
        r"a\phantom{content}b", r"a\hphantom{content}b", r"a\vphantom{content}b", r"a\!b",
        r"a\negthinspace b", r"a\negmedspace b", r"a\negthickspace b", r"a\mathstrut b",
        r"a\kern1em b",
    ],
    "Logic and set theory": _group(
        r"\forall \exists \exist \nexists \in \isin \notin \complement \subset \supset \mid "
        r"\land \lor \ni \therefore \because \mapsto \to \gets \leftrightarrow \notni "
        r"\emptyset \empty \varnothing \implies \impliedby \iff \neg \lnot",
    "∀ ∴ ∁ ∵ ∃ ∣ ∈ ∉ ∋ ⊂ ⊃ ∧ ∨ ↦ → ← ↔ ¬ ℂ ℍ ℕ ℙ ℚ ℝ"),
    "Macros": [
        r"\def\foo{x^2} \foo + \foo", r"\gdef\bar#1{#1^2} \bar{y} + \bar{y}",
        r"\edef\foo#1{#1+#1}\foo{z}", r"\xdef\foo{w}\foo", r"\let\foo=\alpha \foo",
        r"\futurelet\foo\bar x", r"\global\def\foo{v}\foo",
        r"\newcommand\foo[1]{#1!}\foo{u}", r"\renewcommand\bar[1]{#1?}\bar{t}",
        r"\providecommand\foo[1]{#1.}\foo{s}", r"\mathchoice{d}{t}{s}{ss}",
        r"\TextOrMath{t}{m}", r"\@ifstar{a}{b}*", r"\@ifnextchar[{a}{b}[",
        r"\@firstoftwo{f}{g}", r"\@secondoftwo{f}{g}", r"\relax x",
        r"\def\a{b}\expandafter\a x", r"\noexpand x",
    ],
    "Big operators": _group(
        r"\sum \prod \bigotimes \bigvee \int \coprod \bigoplus \bigwedge \iint \intop "
        r"\bigodot \bigcap \iiint \smallint \biguplus \bigcup \oint \oiint \oiiint \bigsqcup",
    "∫ ∬ ∭ ∮ ∏ ∐ ∑ ⋀ ⋁ ⋂ ⋃ ⨀ ⨁ ⨂ ⨄ ⨆ ∯ ∰"),
    "Binary operators": _group(
        r"+ - / * \cdot \cdotp \centerdot \circ \amalg \And \ast \barwedge \bigcirc \bmod "
        r"\boxdot \boxminus \boxplus \boxtimes \bullet \Cap \cap \circledast \circledcirc "
        r"\circleddash \Cup \cup \curlyvee \curlywedge \div \divideontimes \dotplus "
        r"\doublebarwedge \doublecap \doublecup \gtrdot \intercal \land \leftthreetimes "
        r"\ldotp \lor \lessdot \lhd \ltimes \mp \odot \ominus \oplus \otimes \oslash \pm "
        r"\plusmn \rhd \rightthreetimes \rtimes \setminus \smallsetminus \sqcap \sqcup "
        r"\times \unlhd \unrhd \uplus \vee \veebar \wedge \wr",
    r"x \pmod a", r"x \pod a", r"x\mod a", "+ - / * ⋅ ± × ÷ ∓ ∔ ∧ ∨ ∩ ∪ ≀ ⊎ ⊓ ⊔ ⊕ ⊖ ⊗ ⊘ ⊙ ⊚ ⊛ ⊝ ◯"),
    "Fractions and binomials": [
        r"\frac{a}{b}", r"\tfrac{a}{b}", r"\genfrac ( ] {2pt}{1}a{a+1}", r"{a \over b}",
        r"\dfrac{a}{b}", r"{a \above{2pt} b+1}", "a/b", r"\cfrac{a}{1 + \cfrac{1}{b}}",
        r"\binom{n}{k}", r"\dbinom{n}{k}", r"{n\brace k}", r"{n \choose k}", r"\tbinom{n}{k}",
        r"{n\brack k}",
    ],
    "Math operators": _group(
        r"\arcsin \arccos \arctan \arctg \arcctg \arg \ch \cos \cosec \cosh \cot \cotg \coth "
        r"\csc \ctg \cth \deg \dim \exp \hom \ker \lg \ln \log \sec \sin \sinh \sh \tan "
        r"\tanh \tg \th \argmax \argmin \det \gcd \inf \injlim \lim \liminf \limsup \max "
        r"\min \plim \Pr \projlim \sup \varinjlim \varliminf \varlimsup \varprojlim",
    r"\operatorname{f}", r"\operatorname*{f}", r"\lim\limits_{x} f", r"\max\limits_{x} f",
        r"\log p", r"\sqrt{x}", r"\sqrt[3]{x}",),
    "Relations": _group(
        r"= < > : \approx \approxcolon \approxcoloncolon \approxeq \asymp \backepsilon "
        r"\backsim \backsimeq \between \bowtie \bumpeq \Bumpeq \circeq \colonapprox "
        r"\Colonapprox \coloncolonapprox \coloneq \colonminus \Coloneq \coloncolonminus "
        r"\coloneqq \colonequals \Coloneqq \coloncolonequals \colonsim \Colonsim "
        r"\coloncolonsim \cong \curlyeqprec \curlyeqsucc \dashv \dblcolon \coloncolon \doteq "
        r"\Doteq \doteqdot \eqcirc \eqcolon \minuscolon \Eqcolon \minuscoloncolon \eqqcolon "
        r"\equalscolon \Eqqcolon \equalscoloncolon \eqsim \eqslantgtr \eqslantless \equiv "
        r"\fallingdotseq \frown \ge \geq \geqq \geqslant \gg \ggg \gggtr \gt \gtrapprox "
        r"\gtreqless \gtreqqless \gtrless \gtrsim \imageof \in \isin \Join \le \leq \leqq "
        r"\leqslant \lessapprox \lesseqgtr \lesseqqgtr \lessgtr \lesssim \ll \lll \llless \lt "
        r"\mid \models \multimap \origof \owns \parallel \perp \pitchfork \prec \precapprox "
        r"\preccurlyeq \preceq \precsim \propto \risingdotseq \shortmid \shortparallel \sim "
        r"\simcolon \simcoloncolon \simeq \smallfrown \smallsmile \smile \sqsubset "
        r"\sqsubseteq \sqsupset \sqsupseteq \Subset \subset \sub \subseteq \sube \subseteqq "
        r"\succ \succapprox \succcurlyeq \succeq \succsim \Supset \supset \supseteq \supe "
        r"\supseteqq \thickapprox \thicksim \trianglelefteq \triangleq \trianglerighteq "
        r"\varpropto \vartriangle \vartriangleleft \vartriangleright \vcentcolon \ratio "
        r"\vdash \vDash \Vdash \Vvdash",
    r"\stackrel{!}{=}",
        "= < > : ∈ ∋ ∝ ∼ ∽ ≂ ≃ ≅ ≈ ≊ ≍ ≎ ≏ ≐ ≑ ≒ ≓ ≖ ≗ ≜ ≡ ≤ ≥ ≦ ≧ ≫ ≬ ≳ ≷ ≺ ≻ ≼ ≽ ≾ ≿ ⊂ ⊃ "
        "⊆ ⊇ ⊏ ⊐ ⊑ ⊒ ⊢ ⊣ ⊩ ⊪ ⊸ ⋈ ⋍ ⋐ ⋑ ⋔ ⋙ ⋛ ⋞ ⋟ ⌢ ⌣ ⩾ ⪆ ⪌ ⪕ ⪖ ⪯ ⪰ ⪷ ⪸ ⫅ ⫆ ≲ ⩽ ⪅ ≶ ⋚ ⪋ ⟂ ⊨ ⊶ ⊷",
        "≔ ≕ ⩴",),
    "Negated relations": _group(
        r"\gnapprox \gneq \gneqq \gnsim \gvertneqq \lnapprox \lneq \lneqq \lnsim \lvertneqq "
        r"\ncong \ne \neq \ngeq \ngeqq \ngeqslant \ngtr \nleq \nleqq \nleqslant \nless \nmid "
        r"\notin \notni \nparallel \nprec \npreceq \nshortmid \nshortparallel \nsim "
        r"\nsubseteq \nsubseteqq \nsucc \nsucceq \nsupseteq \nsupseteqq \ntriangleleft "
        r"\ntrianglelefteq \ntriangleright \ntrianglerighteq \nvdash \nvDash \nVDash \nVdash "
        r"\precnapprox \precneqq \precnsim \subsetneq \subsetneqq \succnapprox \succneqq "
        r"\succnsim \supsetneq \supsetneqq \varsubsetneq \varsubsetneqq \varsupsetneq "
        r"\varsupsetneqq",
        r"\not =",
        r"a \not< b",
        "∉ ∌ ∤ ∦ ≁ ≆ ≠ ≨ ≩ ≮ ≯ ≰ ≱ ⊀ ⊁ ⊈ ⊉ ⊊ ⊋ ⊬ ⊭ ⊮ ⊯ ⋠ ⋡ ⋦ ⋧ ⋨ ⋩ ⋬ ⋭ ⪇ ⪈ ⪉ ⪊ ⪵ ⪶ ⪹ ⪺ ⫋ ⫌",
    ),
    "Arrows": _group(
        r"\circlearrowleft \circlearrowright \curvearrowleft \curvearrowright \Darr \dArr "
        r"\darr \dashleftarrow \dashrightarrow \downarrow \Downarrow \downdownarrows "
        r"\downharpoonleft \downharpoonright \gets \Harr \hArr \harr \hookleftarrow "
        r"\hookrightarrow \iff \impliedby \implies \Larr \lArr \larr \leadsto \leftarrow "
        r"\Leftarrow \leftarrowtail \leftharpoondown \leftharpoonup \leftleftarrows "
        r"\leftrightarrow \Leftrightarrow \leftrightarrows \leftrightharpoons "
        r"\leftrightsquigarrow \Lleftarrow \longleftarrow \Longleftarrow \longleftrightarrow "
        r"\Longleftrightarrow \longmapsto \longrightarrow \Longrightarrow \looparrowleft "
        r"\looparrowright \Lrarr \lrArr \lrarr \Lsh \mapsto \nearrow \nleftarrow \nLeftarrow "
        r"\nleftrightarrow \nLeftrightarrow \nrightarrow \nRightarrow \nwarrow \Rarr \rArr "
        r"\rarr \restriction \rightarrow \Rightarrow \rightarrowtail \rightharpoondown "
        r"\rightharpoonup \rightleftarrows \rightleftharpoons \rightrightarrows "
        r"\rightsquigarrow \Rrightarrow \Rsh \searrow \swarrow \to \twoheadleftarrow "
        r"\twoheadrightarrow \Uarr \uArr \uarr \uparrow \Uparrow \updownarrow \Updownarrow "
        r"\upharpoonleft \upharpoonright \upuparrows",
    "← ↑ → ↓ ↔ ↕ ↖ ↗ ↘ ↙ ↚ ↛ ↞ ↠ ↢ ↣ ↦ ↩ ↪ ↫ ↬ ↭ ↮ ↰ ↱ ↶ ↷ ↺ ↻ ↼ ↽ ↾ ↿ ⇀ ⇁ ⇂ ⇃ ⇄ ⇆ ⇇ ⇈ ⇉ ⇊ ⇋ ⇌ "
        "⇍ ⇎ ⇏ ⇐ ⇑ ⇒ ⇓ ⇔ ⇕ ⇚ ⇛ ⇝ ⇠ ⇢ ⟵ ⟶ ⟷ ⟸ ⟹ ⟺ ⟼",),
    "Extensible arrows": [
        r"\xleftarrow{abc}", r"\xrightarrow[under]{over}", r"\xLeftarrow{abc}",
        r"\xRightarrow{abc}", r"\xleftrightarrow{abc}", r"\xLeftrightarrow{abc}",
        r"\xhookleftarrow{abc}", r"\xhookrightarrow{abc}", r"\xtwoheadleftarrow{abc}",
        r"\xtwoheadrightarrow{abc}", r"\xleftharpoonup{abc}", r"\xrightharpoonup{abc}",
        r"\xleftharpoondown{abc}", r"\xrightharpoondown{abc}", r"\xleftrightharpoons{abc}",
        r"\xrightleftharpoons{abc}", r"\xtofrom{abc}", r"\xmapsto{abc}", r"\xlongequal{abc}",
        r"\xrightleftarrows{abc}",
    ],
    "Bra-ket": [
        r"\bra{\phi}", r"\ket{\psi}", r"\braket{\phi\vert\psi}", r"\Bra{\phi}", r"\Ket{\psi}",
        r"\Braket{\phi | \psi}", r"\set{x|x<5}", r"\Set{ x | x<\frac 12 }",
    ],
    "Class assignment": [
        r"\mathbin{\oplus} \mathclose{)} \mathinner{x} \mathop{\mathrm{argmin}}_x f",
        r"\mathopen{(} \mathord{\mathrm{ab}} \mathpunct{,} \mathrel{\mathrm{R}}",
    ],
    "Color": [
        r"\color{blue} F=ma", r"\textcolor{blue}{F=ma}", r"\textcolor{#228B22}{F=ma}",
        r"\colorbox{aqua}{$F=ma$}", r"\fcolorbox{red}{aqua}{$F=ma$}",
    ],
    "Font": [
        r"\mathrm{Ab0}", r"\mathbf{Ab0}", r"\mathit{Ab0}", r"\mathnormal{Ab0}",
        r"\textbf{Ab0}", r"\textit{Ab0}", r"\textrm{Ab0}", r"\bf Ab0", r"\it Ab0", r"\rm Ab0",
        r"\bold{Ab0}", r"\textup{Ab0}", r"\textnormal{Ab0}", r"\boldsymbol{Ab0}", r"\Bbb{AB}",
        r"\text{Ab0}", r"\bm{Ab0}", r"\mathbb{AB}", r"\mathsf{Ab0}", r"\textmd{Ab0}",
        r"\frak{Ab0}", r"\textsf{Ab0}", r"\mathtt{Ab0}", r"\mathfrak{Ab0}", r"\sf Ab0",
        r"\texttt{Ab0}", r"\mathcal{AB0}", r"\tt Ab0", r"\cal AB0", r"\mathscr{AB}",
        r"\textsf{\textbf{H}}", r"\mathsf{\mathbf{H}}", r"\pmb{\mu}", r"\text{a \textbf{b}}",
    ],
    "Size": [
        f"{size} AB"
        for size in _group(
            r"\Huge \huge \LARGE \Large \large \normalsize \small \footnotesize \scriptsize "
            r"\tiny"
        )
    ],
    "Style": [
        r"\displaystyle\sum_{i=1}^n", r"\textstyle\sum_{i=1}^n", r"\scriptstyle x",
        r"\scriptscriptstyle x", r"\lim\limits_x", r"\lim\nolimits_x", r"\verb!x^2!",
        r"\text{a $x^2$ b}",
    ],
    "Symbols and punctuation": _group(
        r"\% \# \& \_ \dots \cdots \ddots \ldots \vdots \dotsb \dotsc \dotsi \dotsm \dotso "
        r"\sdot \mathellipsis \Box \square \blacksquare \triangle \triangledown \triangleleft "
        r"\triangleright \bigtriangledown \bigtriangleup \blacktriangle \blacktriangledown "
        r"\blacktriangleleft \blacktriangleright \diamond \Diamond \lozenge \blacklozenge "
        r"\star \bigstar \clubsuit \clubs \diamondsuit \diamonds \spadesuit \maltese \minuso "
        r"\KaTeX \LaTeX \TeX \nabla \infty \infin \checkmark \dag \dagger \ddag \ddagger "
        r"\Dagger \angle \measuredangle \sphericalangle \top \bot \$ \pounds \mathsterling "
        r"\yen \surd \degree \mho \diagdown \diagup \flat \natural \sharp \heartsuit \hearts "
        r"\spades \copyright \circledR \circledS \colon \backprime \prime \lq \rq ` ",
    '"',
        r"\text{\textunderscore}", r"\text{--}", r"\text{\textendash}", r"\text{---}",
        r"\text{\textemdash}", r"\text{\textasciitilde}", r"\text{\textasciicircum}",
        r"\text{\textquoteleft}", r"\text{\textquoteright}", r"\text{\textquotedblleft}",
        r"\text{\textquotedblright}", r"\text{\textless}", r"\text{\textgreater}",
        r"\text{\textbar}", r"\text{\textbardbl}", r"\text{\textbraceleft}",
        r"\text{\textbraceright}", r"\text{\textbackslash}", r"\text{\P}", r"\text{\S}",
        r"\text{\sect}", r"\text{\textregistered}", r"\text{\textcircled a}",
        r"\text{\textellipsis}", r"\text{\textdagger}", r"\text{\textdaggerdbl}",
        r"\text{\textdollar}", r"\text{\textsterling}", r"\text{\textdegree}",
        "x % comment", "£ ¥ ∇ ∞ · ∠ ∡ ∢ ♠ ♡ ♢ ♣ ♭ ♮ ♯ ✓ … ⋮ ⋯ ⋱ ! ‼ ⦵",),
    "Units": [
        r"\rule{1em}{1em}", r"\scriptscriptstyle\rule{1em}{1em}", r"\huge\rule{1em}{1em}",
        r"\rule{18mu}{18mu}", r"\rule{10pt}{10pt}",
        r"a\kern1ex b \kern1mm c \kern1cm d \kern0.1in e \kern1bp f \kern1pc g \kern1dd h "
        r"\kern1cc i \kern1nd j \kern1nc k \kern1sp l \kern1px m",
    ],
}  # fmt: skip

# Raw-HTML commands KaTeX documents but runs only when trusted; the site refuses
# them (docs/math.md): each gives a marked error saying so. \href and \url keep
# their text, without the link.
# Formulas that by definition print only some of their arguments.
CHOOSERS = {
    r"\mathchoice{d}{t}{s}{ss}", r"\TextOrMath{t}{m}", r"\@ifstar{a}{b}*",
    r"\@ifnextchar[{a}{b}[", r"\@firstoftwo{f}{g}", r"\@secondoftwo{f}{g}",
}  # fmt: skip

POLICY_REFUSED = [
    r"\includegraphics[height=0.8em, totalheight=0.9em, width=0.9em, alt=KA logo]{https://katex.org/img/khan-academy.png}",
    r"\htmlId{bar}{x}",
    r"\htmlClass{foo}{x}",
    r"\htmlStyle{color: red;}{x}",
    r"\htmlData{foo=a, bar=b}{x}",
]
LINK_TEXT = [r"\href{https://katex.org/}{\KaTeX}", r"\url{https://katex.org/}"]
