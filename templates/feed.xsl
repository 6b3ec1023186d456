<?xml version="1.0" encoding="utf-8"?>
<!--
  Galley's RSS and Atom feeds as a web page, for the reader who clicks a feed link: what the
  page is, how to subscribe, and the latest items. Presentation only; feed readers ignore it.
  Every value is copied as text (no disable-output-escaping), so nothing from an article can
  become markup here. Browsers that no longer run XSLT show the XML itself, which is fine.
-->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  exclude-result-prefixes="atom dc">

  <xsl:output method="html" encoding="utf-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:template match="/">
    <xsl:variable name="rss" select="/rss/channel"/>
    <xsl:variable name="atom" select="/atom:feed"/>
    <xsl:variable name="title" select="$rss/title | $atom/atom:title"/>
    <html>
      <!-- RSS names its language; feed 6 cannot give an Atom feed xml:lang, so it may be absent. -->
      <xsl:if test="$rss/language | $atom/@xml:lang">
        <xsl:attribute name="lang"><xsl:value-of select="$rss/language | $atom/@xml:lang"/></xsl:attribute>
      </xsl:if>
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="robots" content="noindex"/>
        <title><xsl:value-of select="$title"/> (web feed)</title>
        <style>
          :root { color-scheme: light dark; --paper: #fbfaf7; --ink: #1b1b1b; --muted: #545454; --rule: #d6d1c7; --panel: #f1eee6; }
          @media (prefers-color-scheme: dark) { :root { --paper: #141414; --ink: #e9e6df; --muted: #b3ada3; --rule: #3a3733; --panel: #1f1e1c; } }
          html { background: var(--paper); color: var(--ink); font-family: "Iowan Old Style", Palatino, Georgia, "DejaVu Serif", serif; line-height: 1.55; }
          body { margin: 0 auto; max-width: 40rem; padding: 1.5rem 1rem 3rem; }
          a { color: inherit; }
          .about { background: var(--panel); border-left: 4px solid var(--rule); padding: 0.75rem 1rem; font-family: system-ui, sans-serif; font-size: 0.95rem; }
          code { overflow-wrap: anywhere; }
          h1 { font-size: 2rem; line-height: 1.15; margin: 1.5rem 0 0.25rem; }
          ol { list-style: none; margin: 2rem 0 0; padding: 0; }
          li { border-top: 1px solid var(--rule); padding: 1rem 0; }
          h2 { font-size: 1.25rem; line-height: 1.25; margin: 0 0 0.25rem; }
          .meta { color: var(--muted); font-family: system-ui, sans-serif; font-size: 0.85rem; margin: 0; }
          .summary { margin: 0.5rem 0 0; }
        </style>
      </head>
      <body>
        <p class="about">
          This is a web feed. Copy its address into your feed reader to follow
          <xsl:text> </xsl:text><xsl:value-of select="$title"/>:
          <xsl:text> </xsl:text><code><xsl:value-of select="$rss/atom:link[@rel = 'self']/@href | $atom/atom:link[@rel = 'self']/@href"/></code>
        </p>
        <header>
          <h1><xsl:value-of select="$title"/></h1>
          <p><xsl:value-of select="$rss/description | $atom/atom:subtitle"/></p>
          <p><a href="{$rss/link | $atom/atom:link[@rel = 'alternate']/@href}">Read it on the web</a></p>
        </header>
        <ol>
          <xsl:apply-templates select="$rss/item | $atom/atom:entry"/>
        </ol>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="item">
    <li>
      <h2><a href="{link}"><xsl:value-of select="title"/></a></h2>
      <p class="meta">
        <xsl:value-of select="pubDate"/>
        <xsl:if test="dc:creator"> · <xsl:value-of select="dc:creator"/></xsl:if>
        <xsl:if test="enclosure"> · <a href="{enclosure/@url}">PDF</a></xsl:if>
      </p>
      <!-- An RSS description is escaped HTML: undo the escaping to show the summary's words. -->
      <p class="summary">
        <xsl:call-template name="unescape">
          <xsl:with-param name="text" select="description"/>
        </xsl:call-template>
      </p>
    </li>
  </xsl:template>

  <xsl:template match="atom:entry">
    <li>
      <h2><a href="{atom:link[not(@rel) or @rel = 'alternate']/@href}"><xsl:value-of select="atom:title"/></a></h2>
      <p class="meta">
        <xsl:value-of select="substring(atom:published, 1, 10)"/>
        <xsl:if test="atom:author/atom:name"> · <xsl:value-of select="atom:author/atom:name"/></xsl:if>
        <xsl:if test="atom:link[@rel = 'enclosure']"> · <a href="{atom:link[@rel = 'enclosure']/@href}">PDF</a></xsl:if>
      </p>
      <p class="summary"><xsl:value-of select="atom:summary"/></p>
    </li>
  </xsl:template>

  <!-- The four references feeds.ts writes (&amp; last, so "&amp;lt;" stays "&lt;"), as text. -->
  <xsl:template name="unescape">
    <xsl:param name="text"/>
    <xsl:call-template name="replace">
      <xsl:with-param name="text">
        <xsl:call-template name="replace">
          <xsl:with-param name="text">
            <xsl:call-template name="replace">
              <xsl:with-param name="text">
                <xsl:call-template name="replace">
                  <xsl:with-param name="text" select="$text"/>
                  <xsl:with-param name="from" select="'&amp;lt;'"/>
                  <xsl:with-param name="to" select="'&lt;'"/>
                </xsl:call-template>
              </xsl:with-param>
              <xsl:with-param name="from" select="'&amp;gt;'"/>
              <xsl:with-param name="to" select="'&gt;'"/>
            </xsl:call-template>
          </xsl:with-param>
          <xsl:with-param name="from" select="'&amp;quot;'"/>
          <xsl:with-param name="to" select="'&quot;'"/>
        </xsl:call-template>
      </xsl:with-param>
      <xsl:with-param name="from" select="'&amp;amp;'"/>
      <xsl:with-param name="to" select="'&amp;'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="replace">
    <xsl:param name="text"/>
    <xsl:param name="from"/>
    <xsl:param name="to"/>
    <xsl:choose>
      <xsl:when test="contains($text, $from)">
        <xsl:value-of select="substring-before($text, $from)"/>
        <xsl:value-of select="$to"/>
        <xsl:call-template name="replace">
          <xsl:with-param name="text" select="substring-after($text, $from)"/>
          <xsl:with-param name="from" select="$from"/>
          <xsl:with-param name="to" select="$to"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
