import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseEmBody, readEmErrorMessage } from '../../src/api/kinds/em/parser';
import { ProtocolError } from '../../src/api/errors';
import { isNavigable, readableType } from '../../src/api/resource';

const NS = 'xmlns="http://www.veeam.com/ent/v1.0" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const BASE = 'https://em.example:9398/api/jobs';

describe('EM parser (XML)', () => {
  it('reads a reference list: children with their own links, the list links', () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<EntityReferences ${NS} Href="https://em.example:9398/api/jobs" Type="EntityReferences">
  <Links><Link Href="https://em.example:9398/api/jobs?format=Entity" Rel="Alternate" Type="JobList"/></Links>
  <Ref UID="urn:veeam:Job:1" Name="Nightly &amp; Weekly" Href="https://em.example:9398/api/jobs/1" Type="JobReference">
    <Links>
      <Link Href="https://em.example:9398/api/backupServers/s1" Name="vbr01" Type="BackupServerReference" Rel="Up"/>
      <Link Href="https://em.example:9398/api/jobs/1?format=Entity" Name="Nightly" Type="Job" Rel="Alternate"/>
      <Link Href="https://em.example:9398/api/jobs/1/backupSessions" Type="BackupJobSessionReferenceList" Rel="Down"/>
    </Links>
  </Ref>
  <Ref UID="urn:veeam:Job:2" Name="SQL" Href="https://em.example:9398/api/jobs/2" Type="JobReference"/>
</EntityReferences>`;
    const r = parseEmBody(xml, 'application/xml; charset=utf-8', BASE);
    assert.equal(r.type, 'EntityReferences');
    assert.equal(r.element, 'EntityReferences');
    assert.equal(r.links.length, 1);
    assert.equal(r.links[0].rel, 'Alternate');
    assert.equal(r.children.length, 2);
    const [first, second] = r.children;
    assert.equal(first.name, 'Nightly & Weekly');
    assert.equal(first.uid, 'urn:veeam:Job:1');
    assert.equal(first.element, 'Ref');
    assert.deepEqual(first.links.map((l) => l.rel), ['Up', 'Alternate', 'Down']);
    assert.deepEqual(first.links.filter(isNavigable).map((l) => l.rel), ['Alternate', 'Down']);
    assert.equal(second.links.length, 0);
    assert.equal(r.fields.length, 0);
  });

  it('reads an entity: fields (nested too), action links', () => {
    const xml = `<Job ${NS} Href="https://em.example:9398/api/jobs/1?format=Entity" Type="Job" Name="Nightly" UID="urn:veeam:Job:1">
  <Links>
    <Link Href="https://em.example:9398/api/jobs/1?action=start" Rel="Start"/>
    <Link Href="https://em.example:9398/api/jobs/1" Rel="Alternate" Type="JobReference"/>
  </Links>
  <Platform>VMware</Platform>
  <Description/>
  <ScheduleConfigured>true</ScheduleConfigured>
  <JobScheduleOptions><RetryOptions><RetryTimes>3</RetryTimes></RetryOptions><OptionsDaily Enabled="true"><Kind>Everyday</Kind></OptionsDaily></JobScheduleOptions>
</Job>`;
    const r = parseEmBody(xml, 'application/xml', BASE);
    assert.equal(r.name, 'Nightly');
    assert.equal(r.children.length, 0);
    const names = r.fields.map((f) => f.name);
    assert.deepEqual(names, ['Platform', 'Description', 'ScheduleConfigured', 'JobScheduleOptions']);
    assert.equal(r.fields[0].value, 'VMware');
    assert.equal(r.fields[1].value, '');
    const sched = r.fields[3];
    assert.equal(sched.children?.[0].name, 'RetryOptions');
    assert.deepEqual(sched.children?.[0].children, [{ name: 'RetryTimes', value: '3' }]);
    const daily = sched.children?.[1];
    assert.deepEqual(daily?.children?.map((c) => [c.name, c.value]).sort(), [['Enabled', 'true'], ['Kind', 'Everyday']]);
    const start = r.links.find((l) => l.rel === 'Start')!;
    assert.equal(isNavigable(start), false);
  });

  it('reads a query result: entities through the wrapper, paging links', () => {
    const xml = `<QueryResult ${NS}>
  <Entities><Jobs><Job Href="https://em.example:9398/api/jobs/3?format=Entity" Type="Job" Name="C"/><Job Href="https://em.example:9398/api/jobs/4?format=Entity" Type="Job" Name="D"/></Jobs></Entities>
  <PagingInfo PageNum="2" PageSize="2" PagesCount="3">
    <Links>
      <Link Href="https://em.example:9398/api/query?type=Job&amp;page=1" Rel="First"/>
      <Link Href="https://em.example:9398/api/query?type=Job&amp;page=1" Rel="Previous"/>
      <Link Href="https://em.example:9398/api/query?type=Job&amp;page=3" Rel="Next"/>
      <Link Href="https://em.example:9398/api/query?type=Job&amp;page=3" Rel="Last"/>
    </Links>
  </PagingInfo>
</QueryResult>`;
    const r = parseEmBody(xml, 'application/xml', BASE);
    assert.deepEqual(r.children.map((c) => c.name), ['C', 'D']);
    assert.equal(r.paging?.page, 2);
    assert.equal(r.paging?.pagesCount, 3);
    assert.equal(r.paging?.next, 'https://em.example:9398/api/query?type=Job&page=3');
    assert.equal(r.paging?.first, 'https://em.example:9398/api/query?type=Job&page=1');
  });

  it('resolves relative hrefs against the response URL', () => {
    const r = parseEmBody(`<X ${NS} Href="/api/x"><Links><Link Rel="Down" Href="y"/></Links></X>`, 'application/xml', BASE);
    assert.equal(r.href, 'https://em.example:9398/api/x');
    assert.equal(r.links[0].href, 'https://em.example:9398/api/y');
  });

  it('refuses truncated XML, HTML pages, a DOCTYPE and an empty body with a ProtocolError naming the URL', () => {
    const cases = [
      '<EntityReferences><Ref Href="https://x/a" Name="a"><Links>',
      '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>',
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><X>&lol2;</X>',
      '   ',
    ];
    for (const body of cases) {
      assert.throws(() => parseEmBody(body, 'application/xml', BASE), (err: unknown) => {
        assert.ok(err instanceof ProtocolError, `${body}: ${String(err)}`);
        assert.match(err.message, /em\.example:9398\/api\/jobs/);
        return true;
      });
    }
  });
});

describe('EM parser (JSON)', () => {
  it('reads references with the real-world nulls', () => {
    const json = JSON.stringify({
      Refs: [
        {
          Links: [
            { Rel: 'Up', Href: 'https://em.example:9398/api/backupServers/s1', Name: 'vbr01', Type: 'BackupServerReference' },
            { Rel: 'Alternate', Href: 'https://em.example:9398/api/jobs/1?format=Entity', Name: null, Type: null },
          ],
          UID: 'urn:veeam:Job:1', Name: 'Nightly', Href: 'https://em.example:9398/api/jobs/1', Type: 'JobReference',
        },
      ],
      Links: null,
      Href: 'https://em.example:9398/api/jobs',
      Type: 'EntityReferences',
    });
    const r = parseEmBody(json, 'application/json; charset=utf-8', BASE);
    assert.equal(r.type, 'EntityReferences');
    assert.equal(r.links.length, 0);
    assert.equal(r.children.length, 1);
    assert.equal(r.children[0].links[1].name, undefined);
    assert.equal(r.fields.length, 0);
  });

  it('reads an entity list through plural wrappers and null slots, scalar arrays as one field', () => {
    const json = JSON.stringify({
      Entities: { BackupServers: null, Jobs: { Jobs: [{ Href: 'https://em.example:9398/api/jobs/1?format=Entity', Type: 'Job', Name: 'A', Links: null, Tags: ['x', 'y'], Platform: 'HyperV', EnterpiseRoles: null }] } },
      Refs: null,
      PagingInfo: { PageNum: 1, PageSize: 100, PagesCount: 1, Links: [{ Rel: 'First', Href: 'https://em.example:9398/api/query?page=1', Name: null, Type: null }] },
    });
    const r = parseEmBody(json, 'application/json', BASE);
    assert.equal(r.children.length, 1);
    const job = r.children[0];
    assert.deepEqual(job.fields, [{ name: 'Tags', value: 'x, y' }, { name: 'Platform', value: 'HyperV' }]);
    assert.equal(r.paging?.pageSize, 100);
    assert.equal(r.paging?.next, undefined);
  });

  it('refuses truncated JSON and keeps prototype keys as plain data', () => {
    assert.throws(() => parseEmBody('{"Refs":[{"Href":"https://x/a"', 'application/json', BASE), ProtocolError);
    const r = parseEmBody('{"Href":"https://x/a","__proto__":{"polluted":"yes"},"constructor":"c"}', 'application/json', BASE);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.ok(r.fields.some((f) => f.name === 'constructor'));
  });
});

describe('EM error bodies', () => {
  it('reads Message from XML and JSON errors, nothing from other bodies', () => {
    assert.equal(readEmErrorMessage(`<?xml version="1.0"?><Error ${NS} Message="Job not found" StatusCode="404"/>`), 'Job not found');
    assert.equal(readEmErrorMessage('{"FirstChanceExceptionMessage":null,"Message":"Bad filter","StackTrace":null,"Status":null,"StatusCode":400}'), 'Bad filter');
    assert.equal(readEmErrorMessage('<html>oops</html>'), undefined);
    assert.equal(readEmErrorMessage(''), undefined);
  });
});

describe('readableType', () => {
  it('splits camel case', () => {
    assert.equal(readableType('BackupServerReferenceList'), 'Backup Server Reference List');
    assert.equal(readableType('backupServers'), 'Backup Servers');
    assert.equal(readableType('VMRestorePoint'), 'VM Restore Point');
  });
});
