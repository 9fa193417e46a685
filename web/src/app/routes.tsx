import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router';

import { RequireArea } from '../auth/RequireArea';
import { homePath } from '../auth/roles';
import { RequireSession, useSession } from '../auth/session';
import { AdminNav } from '../shell/AdminNav';
import { SupervisorNav } from '../shell/SupervisorNav';
import { AreaPage } from '../shell/AreaPage';
import { AreaTabs } from '../shell/AreaTabs';
import { AGENT_PAGES } from '../shell/navigation';
import { PublicLayout } from '../shell/PublicLayout';
import { Shell } from '../shell/Shell';
import { Loading } from '../ui/Loading';

// Every page is its own chunk (React.lazy): the shell's initial JS carries no page, no form
// library and no dialog. Adding an admin page: a lazy import here, a <Route> below, and an
// entry in shell/navigation.ts (ADMIN_PAGES).
const LoginPage = lazy(() => import('../pages/public/LoginPage'));
const SignupPage = lazy(() => import('../pages/public/SignupPage'));
const ForgotPasswordPage = lazy(() => import('../pages/public/ForgotPasswordPage'));
const ResetPasswordPage = lazy(() => import('../pages/public/ResetPasswordPage'));
const AdminHomePage = lazy(() => import('../pages/admin/AdminHomePage'));
const SkillsPage = lazy(() => import('../pages/admin/SkillsPage'));
const BreakReasonsPage = lazy(() => import('../pages/admin/BreakReasonsPage'));
const DispositionsPage = lazy(() => import('../pages/admin/DispositionsPage'));
const SettingsPage = lazy(() => import('../pages/admin/SettingsPage'));
const UsersPage = lazy(() => import('../pages/admin/UsersPage'));
const ApiKeysPage = lazy(() => import('../pages/admin/ApiKeysPage'));
const TeamsPage = lazy(() => import('../pages/admin/TeamsPage'));
const QueuesPage = lazy(() => import('../pages/admin/QueuesPage'));
const PhoneNumbersPage = lazy(() => import('../pages/admin/PhoneNumbersPage'));
const AgentProfilesPage = lazy(() => import('../pages/admin/AgentProfilesPage'));
const CustomersPage = lazy(() => import('../pages/admin/CustomersPage'));
const CrmPage = lazy(() => import('../pages/admin/CrmPage'));
const TicketCategoriesPage = lazy(() => import('../pages/admin/TicketCategoriesPage'));
const CallFlowsPage = lazy(() => import('../pages/admin/CallFlowsPage'));
const QaScorecardsPage = lazy(() => import('../pages/admin/QaScorecardsPage'));
const QaPage = lazy(() => import('../pages/supervisor/QaPage'));
const EvaluationsPage = lazy(() => import('../pages/agent/EvaluationsPage'));
const AdminPlaceholderPage = lazy(() => import('../pages/admin/AdminPlaceholderPage'));
const SupervisorPage = lazy(() => import('../pages/supervisor/SupervisorPage'));
const SupervisorTvPage = lazy(() => import('../pages/supervisor/SupervisorTvPage'));
const ReportsPage = lazy(() => import('../pages/supervisor/ReportsPage'));
const ReportBuilderPage = lazy(() => import('../pages/supervisor/ReportBuilderPage'));
const StaffingPage = lazy(() => import('../pages/supervisor/StaffingPage'));
const AgentPage = lazy(() => import('../pages/agent/AgentPage'));
const RecordingsPage = lazy(() => import('../pages/supervisor/RecordingsPage'));
const MyRecordingsPage = lazy(() => import('../pages/agent/MyRecordingsPage'));
const RecordingAccessLogPage = lazy(() => import('../pages/admin/RecordingAccessLogPage'));
const NotFoundPage = lazy(() => import('../pages/NotFoundPage'));

function HomeRedirect() {
  const { user } = useSession();
  return <Navigate to={homePath(user.role)} replace />;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<PublicLayout />}>
        <Route path="login" element={<LoginPage />} />
        <Route path="t/:slug" element={<LoginPage />} />
        <Route path="signup" element={<SignupPage />} />
        <Route path="forgot-password" element={<ForgotPasswordPage />} />
        <Route path="reset-password" element={<ResetPasswordPage />} />
      </Route>
      <Route element={<RequireSession />}>
        <Route path="supervisor/tv" element={<RequireArea area="supervisor" />}>
          <Route
            index
            element={
              <Suspense fallback={<Loading />}>
                <SupervisorTvPage />
              </Suspense>
            }
          />
        </Route>
        <Route element={<Shell />}>
          <Route index element={<HomeRedirect />} />
          <Route path="admin" element={<RequireArea area="admin" />}>
            <Route element={<AreaPage sideNav={<AdminNav />} />}>
              <Route index element={<AdminHomePage />} />
              <Route path="skills" element={<SkillsPage />} />
              <Route path="break-reasons" element={<BreakReasonsPage />} />
              <Route path="dispositions" element={<DispositionsPage />} />
              <Route path="settings" element={<SettingsPage />} />
              <Route path="users" element={<UsersPage />} />
              <Route path="api-keys" element={<ApiKeysPage />} />
              <Route path="queues" element={<QueuesPage />} />
              <Route path="phone-numbers" element={<PhoneNumbersPage />} />
              <Route path="agents" element={<AgentProfilesPage />} />
              <Route path="teams" element={<TeamsPage />} />
              <Route path="customers" element={<CustomersPage />} />
              <Route path="call-flows" element={<CallFlowsPage />} />
              <Route path="users" element={<AdminPlaceholderPage page="users" />} />
              <Route path="api-keys" element={<AdminPlaceholderPage page="apiKeys" />} />
              <Route path="queues" element={<AdminPlaceholderPage page="queues" />} />
              <Route path="phone-numbers" element={<AdminPlaceholderPage page="phoneNumbers" />} />
              <Route path="agents" element={<AdminPlaceholderPage page="agents" />} />
              <Route path="crm" element={<CrmPage />} />
              <Route path="teams" element={<AdminPlaceholderPage page="teams" />} />
              <Route path="ticket-categories" element={<TicketCategoriesPage />} />
              <Route path="qa-scorecards" element={<QaScorecardsPage />} />
              <Route path="recording-access-log" element={<RecordingAccessLogPage />} />
              <Route path="customers" element={<AdminPlaceholderPage page="customers" />} />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Route>
          <Route path="supervisor" element={<RequireArea area="supervisor" />}>
            <Route element={<AreaPage sideNav={<SupervisorNav />} />}>
              <Route index element={<SupervisorPage />} />
              <Route path="recordings" element={<RecordingsPage />} />
              <Route path="qa" element={<QaPage />} />
              <Route path="reports" element={<ReportsPage />} />
              <Route path="report-builder" element={<ReportBuilderPage />} />
              <Route path="staffing" element={<StaffingPage />} />
            </Route>
          </Route>
          <Route path="agent" element={<RequireArea area="agent" />}>
            <Route element={<AreaPage tabs={<AreaTabs label="nav.agent.label" pages={AGENT_PAGES} />} />}>
              <Route index element={<AgentPage />} />
              <Route path="evaluations" element={<EvaluationsPage />} />
              <Route path="recordings" element={<MyRecordingsPage />} />
            </Route>
          </Route>
          <Route element={<AreaPage />}>
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Route>
      </Route>
    </Routes>
  );
}
